/* SPDX-License-Identifier: Apache-2.0 */
/* Finds the line of a value in JSON text by its field path, so that errors found after parsing
 * (jansson keeps no positions) can still name the line: "devices[1].memory.total" -> 42. */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

struct cursor {
    const char *s, *end;
    int line;
};

static void skip_ws(struct cursor *c)
{
    for (; c->s < c->end; c->s++) {
        if (*c->s == '\n')
            c->line++;
        else if (*c->s != ' ' && *c->s != '\t' && *c->s != '\r')
            return;
    }
}

static void skip_string(struct cursor *c)
{
    for (c->s++; c->s < c->end && *c->s != '"'; c->s++)
        if (*c->s == '\\' && c->s + 1 < c->end) c->s++;
    if (c->s < c->end) c->s++;
}

static void skip_value(struct cursor *c)
{
    skip_ws(c);
    if (c->s >= c->end) return;
    if (*c->s == '"') {
        skip_string(c);
        return;
    }
    if (*c->s != '{' && *c->s != '[') {
        while (c->s < c->end && !strchr(",]} \t\r\n", *c->s))
            c->s++;
        return;
    }
    int depth = 0;
    while (c->s < c->end) {
        char ch = *c->s;
        if (ch == '"') {
            skip_string(c);
            continue;
        }
        if (ch == '\n')
            c->line++;
        else if (ch == '{' || ch == '[')
            depth++;
        else if ((ch == '}' || ch == ']') && --depth == 0) {
            c->s++;
            return;
        }
        c->s++;
    }
}

static bool next_member(struct cursor *c)
{
    skip_ws(c);
    if (c->s < c->end && *c->s == ',') c->s++;
    skip_ws(c);
    return c->s < c->end && *c->s != '}' && *c->s != ']';
}

/* Moves to the value of key in the object at the cursor; false if absent. */
static bool enter_key(struct cursor *c, const char *key, size_t keylen)
{
    skip_ws(c);
    if (c->s >= c->end || *c->s != '{') return false;
    c->s++;
    while (next_member(c)) {
        if (*c->s != '"') return false;
        const char *k = c->s + 1;
        skip_string(c);
        size_t klen = (size_t)(c->s - k) - 1;
        skip_ws(c);
        if (c->s < c->end && *c->s == ':') c->s++;
        skip_ws(c);
        if (klen == keylen && memcmp(k, key, keylen) == 0) return true;
        skip_value(c);
    }
    return false;
}

/* Moves to element idx of the array at the cursor; false if absent. */
static bool enter_index(struct cursor *c, unsigned long idx)
{
    skip_ws(c);
    if (c->s >= c->end || *c->s != '[') return false;
    c->s++;
    skip_ws(c);
    for (unsigned long i = 0; i < idx; i++) {
        if (c->s >= c->end || *c->s == ']') return false;
        skip_value(c);
        if (!next_member(c)) return false;
    }
    skip_ws(c);
    return c->s < c->end && *c->s != ']';
}

int sim_json_line(const char *text, size_t len, const char *path)
{
    struct cursor c = {text, text + len, 1};
    skip_ws(&c);
    int line = c.line;
    const char *p = path;
    while (*p) {
        bool ok;
        if (*p == '[') {
            char *after;
            unsigned long idx = strtoul(p + 1, &after, 10);
            p = *after == ']' ? after + 1 : after;
            ok = enter_index(&c, idx);
        } else {
            if (*p == '.') p++;
            size_t n = strcspn(p, ".[");
            ok = enter_key(&c, p, n);
            p += n;
        }
        if (!ok) break;
        skip_ws(&c);
        line = c.line;
    }
    return line;
}
