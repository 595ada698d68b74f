/* SPDX-License-Identifier: Apache-2.0 */
/* The signal confirmation box (confirm.h), laid out like nvitop's MessageBox. */
#include "tui/confirm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/cells.h"

#define NAME_LEN 8
#define INNER (CONFIRM_WIDTH - 6) /* text columns inside the box */

static const char *const names[CONFIRM__COUNT] = {"SIGTERM", "SIGKILL", "SIGINT", "Cancel"};

int confirm_open(confirm_t *c, const signal_target_t *targets, size_t count, int option)
{
    memset(c, 0, sizeof(*c));
    if (!(c->targets = calloc(count + 1, sizeof(*c->targets)))) return -1;
    memcpy(c->targets, targets, count * sizeof(*targets));
    c->count = count;
    c->current = option;
    return 0;
}

void confirm_close(confirm_t *c)
{
    free(c->targets);
    memset(c, 0, sizeof(*c));
}

/* Python's str.center: the odd blank goes right unless the width is odd too. */
static void center(strbuf_t *out, const char *s, size_t width)
{
    size_t len = rpt_width(s), marg = len < width ? width - len : 0;
    size_t left = marg / 2 + (marg & width & 1);
    for (size_t i = 0; i < left; i++)
        strbuf_putc(out, ' ');
    strbuf_puts(out, s);
    for (size_t i = left + len; i < width; i++)
        strbuf_putc(out, ' ');
}

/* "pid(user)" with the user cut to 24 columns. */
static void entry(strbuf_t *out, const signal_target_t *t)
{
    strbuf_t user = {0};
    rpt_cut(&user, t->username, 24, "+", false);
    strbuf_keep_error(out, &user);
    strbuf_printf(out, "%u(%s)", (unsigned)t->pid, strbuf_str(&user));
    strbuf_fini(&user);
}

/* The message lines, word-wrapped to the box, '\n' after each. */
static void message_lines(const confirm_t *c, strbuf_t *out)
{
    strbuf_t e = {0}, words = {0};
    if (c->count == 1) {
        entry(&e, &c->targets[0]);
        strbuf_keep_error(&words, &e);
        strbuf_printf(&words, "Send signal to process %s?", strbuf_str(&e));
        strbuf_keep_error(out, &words);
        center(out, strbuf_str(&words), INNER);
        strbuf_putc(out, '\n');
        strbuf_fini(&e);
        strbuf_fini(&words);
        return;
    }
    /* nvitop pads the entries to one width, then splits the message into words again, which
     * drops the padding: one blank between entries. */
    strbuf_puts(out, "Send signal to the following processes?\n\n");
    size_t col = 0;
    for (size_t i = 0; i < c->count; i++) {
        strbuf_reset(&e);
        entry(&e, &c->targets[i]);
        size_t w = rpt_width(strbuf_str(&e));
        if (col > 0 && col + 1 + w > INNER) {
            strbuf_putc(out, '\n');
            col = 0;
        }
        if (col > 0) {
            strbuf_putc(out, ' ');
            col++;
        }
        strbuf_put_buf(out, &e);
        col += w;
    }
    strbuf_putc(out, '\n');
    strbuf_fini(&e);
    strbuf_fini(&words);
}

static void rule(strbuf_t *out, const char *l, const char *fill, int n, const char *r)
{
    strbuf_puts(out, l);
    for (int i = 0; i < n; i++)
        strbuf_puts(out, fill);
    strbuf_puts(out, r);
}

static void buttons(strbuf_t *out, const char *l, const char *fill, const char *r)
{
    strbuf_puts(out, " │  ");
    for (int i = 0; i < CONFIRM__COUNT; i++) {
        if (i) strbuf_puts(out, "  ");
        rule(out, l, fill, NAME_LEN + 2, r);
    }
    strbuf_puts(out, "  │ \n");
}

static void button_names(strbuf_t *out)
{
    strbuf_puts(out, " │  ");
    for (int i = 0; i < CONFIRM__COUNT; i++) {
        strbuf_puts(out, i ? "  │ " : "│ ");
        center(out, names[i], NAME_LEN);
        strbuf_puts(out, " │");
    }
    strbuf_puts(out, "  │ \n");
}

int confirm_text(const confirm_t *c, strbuf_t *out)
{
    strbuf_t msg = {0};
    message_lines(c, &msg);
    strbuf_keep_error(out, &msg);
    rule(out, " ╒", "═", CONFIRM_WIDTH - 4, "╕ \n");
    rule(out, " │", " ", CONFIRM_WIDTH - 4, "│ \n");
    for (const char *line = strbuf_str(&msg); *line;) {
        size_t len = strcspn(line, "\n");
        strbuf_t one = {0};
        strbuf_append(&one, line, len);
        strbuf_keep_error(out, &one);
        strbuf_puts(out, " │ ");
        rpt_ljust(out, strbuf_str(&one), INNER);
        strbuf_puts(out, " │ \n");
        strbuf_fini(&one);
        line += len + (line[len] == '\n');
    }
    rule(out, " │", " ", CONFIRM_WIDTH - 4, "│ \n");
    buttons(out, "┌", "─", "┐");
    button_names(out);
    buttons(out, "└", "─", "┘");
    rule(out, " ╘", "═", CONFIRM_WIDTH - 4, "╛ \n");
    strbuf_fini(&msg);
    return strbuf_error(out);
}

/* The box's lines (-1: out of memory). */
static int height_of(const confirm_t *c)
{
    strbuf_t text = {0};
    int height = confirm_text(c, &text) < 0 ? -1 : 0;
    for (const char *p = text.data; height >= 0 && p && *p; p++)
        height += *p == '\n';
    strbuf_fini(&text);
    return height;
}

int confirm_hit(const confirm_t *c, int lines, int cols, int y, int x)
{
    int height = height_of(c);
    if (height < 0) return -1;
    int y0 = (lines - height) / 2, x0 = (cols - CONFIRM_WIDTH) / 2;
    int yo = y0 + height - 3; /* the row of the button names, between the buttons' edges */
    if (y < yo - 1 || y > yo + 1) return -1;
    for (int i = 0; i < CONFIRM__COUNT; i++) {
        int left = x0 + 4 + i * (NAME_LEN + 6);
        if (x >= left && x < left + NAME_LEN + 4) return i;
    }
    return -1;
}

void confirm_draw(const confirm_t *c, frame_t *f, int lines, int cols)
{
    strbuf_t text = {0};
    if (confirm_text(c, &text) < 0) {
        strbuf_fini(&text);
        return;
    }
    int height = 0;
    for (const char *p = text.data; *p; p++)
        height += *p == '\n';
    int y0 = (lines - height) / 2, x0 = (cols - CONFIRM_WIDTH) / 2, y = y0;
    for (const char *line = text.data; *line; y++) {
        size_t len = strcspn(line, "\n");
        frame_putn(f, y, x0, line, len, 0);
        line += len + 1;
    }
    int yo = y0 + height - 3; /* the row of the button names */
    for (int i = 0; i < CONFIRM__COUNT; i++) {
        int offset = (NAME_LEN - (int)strlen(names[i])) / 2;
        int x = x0 + 6 + i * (NAME_LEN + 6) + offset;
        bool on = i == c->current;
        tstyle_t hl = on ? TS_STANDOUT | TS_BOLD : 0;
        if (on)
            for (int r = yo - 1; r <= yo + 1; r++)
                frame_chgat(f, r, x - offset - 3, NAME_LEN + 6, TS_STANDOUT | TS_BOLD);
        if (i < CONFIRM_CANCEL) {
            frame_chgat(f, yo, x, (int)strlen(names[i]), TC_RED | hl);
            frame_chgat(f, yo, x + 3, 1, TC_RED | TS_BOLD | TS_UNDERLINE | hl);
        } else {
            frame_chgat(f, yo, x, 1, TS_BOLD | TS_UNDERLINE | hl);
        }
    }
    strbuf_fini(&text);
}

bool confirm_choose(confirm_t *c, int option, uint64_t now_ns)
{
    if (option == c->current) return true;
    c->current = option;
    c->pending_at = now_ns + CONFIRM_DELAY_NS;
    return false;
}
