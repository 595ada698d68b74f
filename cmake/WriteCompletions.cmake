# SPDX-License-Identifier: Apache-2.0
# Writes NAME's completion scripts for bash, zsh and fish into OUTPUT_DIR/{bash,zsh,fish}/ with
# the program itself (PROGRAM --print-completion SHELL: src/util/argparse_complete.c).
#   cmake -DPROGRAM=path -DNAME=nvitop -DOUTPUT_DIR=dir -P WriteCompletions.cmake
foreach(shell bash zsh fish)
  if(shell STREQUAL "bash")
    set(file ${OUTPUT_DIR}/bash/${NAME})
  elseif(shell STREQUAL "zsh")
    set(file ${OUTPUT_DIR}/zsh/_${NAME})
  else()
    set(file ${OUTPUT_DIR}/fish/${NAME}.fish)
  endif()
  file(MAKE_DIRECTORY ${OUTPUT_DIR}/${shell})
  execute_process(COMMAND ${PROGRAM} --print-completion ${shell}
    OUTPUT_FILE ${file} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE ${file})
    message(FATAL_ERROR "${PROGRAM} --print-completion ${shell} failed (${rc}): ${err}")
  endif()
endforeach()
