# SPDX-License-Identifier: Apache-2.0
# The installed static library: one relocatable object in an archive, where only the public
# (default-visibility, nvitop_*) symbols stay global.
#
# A plain archive of the library's objects would hand every internal function (str_copy,
# strbuf_printf, sampler_*, ...) to the user's link, where it collides with the user's own
# symbols of the same name. So the objects are linked into one (`ld -r`: their references to
# each other are then relocations inside one file) and every hidden symbol is made local
# (`objcopy --localize-hidden`): the same symbols libnvitop.so hides with -fvisibility=hidden.
#
# nvitop_public_archive(<target> <object library> <output archive>) adds <target> (built by
# default) that writes <output archive>.
set(NVITOP_PUBLIC_ARCHIVE_RECIPE ${CMAKE_CURRENT_LIST_FILE})
if(NOT CMAKE_OBJCOPY)
  message(FATAL_ERROR "objcopy (binutils) is needed to build the installed libnvitop.a")
endif()
function(nvitop_public_archive target objects archive)
  get_filename_component(name ${archive} NAME_WE)
  set(merged ${CMAKE_CURRENT_BINARY_DIR}/${name}.o)
  add_custom_command(OUTPUT ${archive}
    COMMAND ${CMAKE_C_COMPILER} -nostdlib -r -o ${merged} $<TARGET_OBJECTS:${objects}>
    COMMAND ${CMAKE_OBJCOPY} --localize-hidden ${merged}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${archive}
    COMMAND ${CMAKE_AR} qc ${archive} ${merged}
    COMMAND ${CMAKE_RANLIB} ${archive}
    # The recipe too: an archive left by a plain `ar` of an older build is then replaced.
    DEPENDS ${objects} $<TARGET_OBJECTS:${objects}> ${NVITOP_PUBLIC_ARCHIVE_RECIPE}
    COMMAND_EXPAND_LISTS VERBATIM
    COMMENT "Linking the public static library ${name}.a (internal symbols made local)")
  add_custom_target(${target} ALL DEPENDS ${archive})
endfunction()
