/* SPDX-License-Identifier: Apache-2.0 */
/* A program built against libnvitop 1.7.0 keeps working with every later 1.x library: the
 * public structs as today's headers declare them must still have each 1.7.0 field at its 1.7.0
 * offset, the structs a caller allocates, embeds or walks as an array keep their 1.7.0 size,
 * those only the library allocates may grow at their end, and every enumerator keeps its
 * value (docs/library.md, "Adding a field"). Checked at compile time: moving, inserting or
 * retyping a field, or growing a fixed struct, fails the build of this test. */
#include <nvitop.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__LP64__) && !defined(NVITOP_ABI_SKIP)
#define NVITOP_ABI_FIELD(type, field, offset)                                                      \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field " moved since 1.7.0");
#define NVITOP_ABI_FIXED(type, size)                                                               \
    _Static_assert(sizeof(type) == (size), #type " changed size since 1.7.0");
#define NVITOP_ABI_GROWS(type, size)                                                               \
    _Static_assert(sizeof(type) >= (size), #type " shrank since 1.7.0");
#define NVITOP_ABI_VALUE(name, value)                                                              \
    _Static_assert((long long)(name) == (value), #name " changed value since 1.7.0");
#include "layout_1_7_0.h"
#define CHECKED "the 1.7.0 layout (LP64)"
#else
#define CHECKED "nothing: the frozen layout is that of an LP64 target"
#endif

int main(void)
{
    printf("struct layout: checked %s at compile time\n", CHECKED);
    return 0;
}
