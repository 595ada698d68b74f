/* SPDX-License-Identifier: Apache-2.0 */
/* Overflow-checked growth of heap arrays. */
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>

int array_reserve(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t grown = *cap ? *cap : 8;
    while (grown < need) {
        if (grown > SIZE_MAX / 2) return -1;
        grown *= 2;
    }
    if (elem && grown > SIZE_MAX / elem) return -1;
    void *p = realloc(*array, grown * elem);
    if (!p) return -1;
    *array = p;
    *cap = grown;
    return 0;
}
