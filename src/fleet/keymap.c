/* SPDX-License-Identifier: Apache-2.0 */
#include "fleet/keymap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

/* The slot holding key, or the empty one where it would go (cap is a power of two). */
static size_t slot_of(const keymap_t *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(keymap_t *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    keymap_t bigger = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), cap, 0, m->arena};
    if (!bigger.keys || !bigger.values) {
        free(bigger.keys);
        free(bigger.values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t s = slot_of(&bigger, m->keys[i]);
        bigger.keys[s] = m->keys[i];
        bigger.values[s] = m->values[i];
    }
    bigger.count = m->count;
    free(m->keys);
    free(m->values);
    *m = bigger;
    return 0;
}

int keymap_put(keymap_t *m, const char *key, size_t value)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) < 0) return -1;
    size_t s = slot_of(m, key);
    if (!m->keys[s]) {
        m->keys[s] = arena_strdup(&m->arena, key);
        if (!m->keys[s]) return -1;
        m->count++;
    }
    m->values[s] = value;
    return 0;
}

bool keymap_get(const keymap_t *m, const char *key, size_t *value)
{
    if (!m->cap) return false;
    size_t s = slot_of(m, key);
    if (!m->keys[s]) return false;
    *value = m->values[s];
    return true;
}

void keymap_fini(keymap_t *m)
{
    free(m->keys);
    free(m->values);
    arena_fini(&m->arena);
    memset(m, 0, sizeof(*m));
}
