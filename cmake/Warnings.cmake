# SPDX-License-Identifier: Apache-2.0
# The warning set of docs/style (probed per compiler); -Werror when NVITOP_WERROR is on.
include(CheckCCompilerFlag)
set(NVITOP_WARNING_FLAGS "")
foreach(flag -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
             -Wold-style-definition -Wformat=2 -Wwrite-strings -Wundef -Wvla
             -Wimplicit-fallthrough -Wnull-dereference)
  string(MAKE_C_IDENTIFIER "HAVE${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    list(APPEND NVITOP_WARNING_FLAGS ${flag})
  endif()
endforeach()
if(NVITOP_WERROR)
  list(APPEND NVITOP_WARNING_FLAGS -Werror)
endif()
add_compile_options(${NVITOP_WARNING_FLAGS})
add_compile_definitions(_GNU_SOURCE)
