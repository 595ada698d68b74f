/* SPDX-License-Identifier: Apache-2.0 */
/* Small shared helpers: overflow-checked array growth, a growable string buffer, an arena that
 * lets a snapshot own all its strings, and the clocks. */
#ifndef NVITOP_UTIL_H
#define NVITOP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NS_PER_SEC 1000000000ULL

/* Grows *array (of elements of `elem` bytes, capacity *cap) so it holds at least `need`
 * elements. Returns 0 or -1 when out of memory or on size overflow (*array unchanged). */
int array_reserve(void **array, size_t *cap, size_t need, size_t elem);

/* A NUL-terminated growable string. A zeroed strbuf is an empty buffer.
 *
 * Errors are sticky: the first append that fails (out of memory, a size past SIZE_MAX, a format
 * error) records -1 in `error` and every later append does nothing, so text is built as a plain
 * sequence of appends and checked once at the end with strbuf_error(). The text written before
 * the failure stays readable. Each append also returns 0 or -1 (the sticky error). */
typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    int error; /* 0, or -1 from the first failed append on */
} strbuf_t;

int strbuf_reserve(strbuf_t *sb, size_t extra);
/* The same without rounding the capacity up to a power of two: for a buffer whose size is known
 * in advance (the exporter's page, sized by the last one). */
int strbuf_reserve_exact(strbuf_t *sb, size_t extra);
int strbuf_append(strbuf_t *sb, const char *s, size_t n);
int strbuf_puts(strbuf_t *sb, const char *s);
int strbuf_putc(strbuf_t *sb, char c);
int strbuf_printf(strbuf_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(strbuf_t *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends the text of `part` and takes over its error, so a part built in a buffer of its own
 * fails the whole. */
int strbuf_put_buf(strbuf_t *sb, const strbuf_t *part);
/* Records the error of `part` (whose text went in by another way) in sb. */
void strbuf_keep_error(strbuf_t *sb, const strbuf_t *part);
/* 0, or -1 when any append since the last reset failed. */
int strbuf_error(const strbuf_t *sb);
/* The text so far, "" for a buffer never written. */
const char *strbuf_str(const strbuf_t *sb);
/* Empties the buffer and forgets its error. */
void strbuf_reset(strbuf_t *sb);
/* Hands the buffer to the caller and empties sb; NULL when out of memory or when an append
 * failed (the text is freed then). */
char *strbuf_take(strbuf_t *sb);
void strbuf_fini(strbuf_t *sb);

/* Bump allocator: many small allocations, one release. */
typedef struct arena_chunk arena_chunk_t;
typedef struct arena {
    arena_chunk_t *head;
} arena_t;

void *arena_alloc(arena_t *a, size_t size);            /* 16-byte aligned, zeroed; NULL: OOM */
void *arena_calloc(arena_t *a, size_t n, size_t elem); /* overflow-checked */
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
void arena_fini(arena_t *a);

uint64_t clock_monotonic_ns(void);
int64_t clock_realtime_ns(void);

/* Copies src into dst (size n > 0), always NUL-terminated; returns true if it fit. */
bool str_copy(char *dst, size_t n, const char *src);
bool str_starts_with(const char *s, const char *prefix);

/* Python's round(x, digits) for 0 <= digits <= 15: nearest decimal, exact halves to even. */
double round_digits(double x, int digits);
/* printf's "%.*f" of x into buf (size bytes, NUL-terminated, cut like snprintf); returns the
 * length the whole text has. Exact: the same text as printf, faster for 0..8 digits. */
size_t format_fixed(char *buf, size_t size, double x, int digits);
/* printf's "%lld" of v into buf (21 bytes at least); returns the length. */
size_t format_ll(char *buf, long long v);

#endif
