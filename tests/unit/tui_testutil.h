/* SPDX-License-Identifier: Apache-2.0 */
/* What the TUI's unit tests share: known values, and a drawn row as text. Include after
 * cmocka.h and tui/tui_internal.h. */
#ifndef NVITOP_TUI_TESTUTIL_H
#define NVITOP_TUI_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

static inline nvitop_int_t I(int64_t v)
{
    return (nvitop_int_t){v, NVITOP_NA_NONE};
}

static inline nvitop_real_t R(double v)
{
    return (nvitop_real_t){v, NVITOP_NA_NONE};
}

static inline nvitop_str_t S(const char *v)
{
    return (nvitop_str_t){v, NVITOP_NA_NONE};
}

/* Row y of the frame, trailing blanks off for readable expectations; the caller frees it. */
static inline char *row(const tui_t *t, int y)
{
    strbuf_t sb = {0};
    assert_int_equal(frame_row_text(&t->frame, y, &sb), 0);
    while (sb.len && sb.data[sb.len - 1] == ' ')
        sb.data[--sb.len] = '\0';
    return sb.data ? sb.data : calloc(1, 1);
}

static inline void expect_row(const tui_t *t, int y, const char *want)
{
    char *got = row(t, y);
    if (strcmp(got, want) != 0) fail_msg("row %d:\n got  '%s'\n want '%s'", y, got, want);
    free(got);
}

#endif
