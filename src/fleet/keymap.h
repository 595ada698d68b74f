/* SPDX-License-Identifier: Apache-2.0 */
/* A string-keyed hash map to indices (open addressing): joining the series of one family to
 * the rows made from another costs one lookup per series, whatever the fleet's size. */
#ifndef NVITOP_FLEET_KEYMAP_H
#define NVITOP_FLEET_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

typedef struct keymap {
    const char **keys;
    size_t *values;
    size_t cap, count;
    arena_t arena; /* the keys */
} keymap_t;

/* Adds or replaces. Returns 0 or -1 (out of memory). */
int keymap_put(keymap_t *m, const char *key, size_t value);
bool keymap_get(const keymap_t *m, const char *key, size_t *value);
void keymap_fini(keymap_t *m);

#endif
