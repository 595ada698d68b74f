# SPDX-License-Identifier: Apache-2.0
# NVITOP_SANITIZE=address,undefined builds everything (library, programs, simulator, tests)
# with those sanitizers and stops at the first report.
if(NVITOP_SANITIZE)
  add_compile_options(-fsanitize=${NVITOP_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${NVITOP_SANITIZE})
endif()
