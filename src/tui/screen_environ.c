/* SPDX-License-Identifier: Apache-2.0 */
/* The environment screen (spec §3.6): the environment of the selected process (of nvitop
 * itself when none is), read on the sampler thread, sorted by key, scrolled both ways; when it
 * cannot be read, nvitop's message and why (permission, process gone). */
#include "tui/tui_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define H_STEP 5     /* columns per Left/Right */
#define WHEEL_STEP 2 /* columns per Shift-wheel notch */

void environ_free_lines(tui_environ_t *e)
{
    for (size_t i = 0; i < e->count; i++)
        free(e->lines[i]);
    free(e->lines);
    free(e->key_len);
    e->lines = NULL;
    e->key_len = NULL;
    e->count = 0;
}

/* The length of the key of "KEY=value", or 0 for an entry with no key (psutil drops it). */
static size_t key_of(const char *var)
{
    const char *eq = strchr(var, '=');
    return eq ? (size_t)(eq - var) : 0;
}

static int by_key(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t kx = key_of(x), ky = key_of(y);
    int c = strncmp(x, y, kx < ky ? kx : ky);
    if (c) return c;
    if (kx != ky) return kx < ky ? -1 : 1;
    return strcmp(x + kx, y + ky);
}

/* A copy with each newline shown as one glyph, so a line stays a line. */
static char *one_line(const char *s, bool ascii)
{
    const char *mark = ascii ? "?" : "\xe2\x90\xa4"; /* U+2424 SYMBOL FOR NEWLINE */
    strbuf_t sb = {0};
    for (const char *p = s; *p; p++) {
        int rc = *p == '\n' ? strbuf_puts(&sb, mark) : strbuf_putc(&sb, *p);
        if (rc < 0) {
            strbuf_fini(&sb);
            return NULL;
        }
    }
    return sb.data ? strbuf_take(&sb) : strdup("");
}

int environ_set_lines(tui_environ_t *e, const sampler_environ_t *data, bool ascii)
{
    environ_free_lines(e);
    e->y_offset = e->scroll = e->x_offset = 0;
    size_t n = data ? data->count : 0;
    e->lines = calloc(n ? n : 1, sizeof(*e->lines));
    e->key_len = calloc(n ? n : 1, sizeof(*e->key_len));
    if (!e->lines || !e->key_len) {
        environ_free_lines(e);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (key_of(data->vars[i]) == 0) continue;
        if (!(e->lines[e->count] = one_line(data->vars[i], ascii))) {
            environ_free_lines(e);
            return -1;
        }
        e->count++;
    }
    qsort(e->lines, e->count, sizeof(*e->lines), by_key);
    for (size_t i = 0; i < e->count; i++) {
        char *eq = strchr(e->lines[i], '=');
        *eq = '\0';
        e->key_len[i] = rpt_width(e->lines[i]);
        *eq = '=';
    }
    return 0;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void environ_select(tui_environ_t *e, int line, int height)
{
    int n = (int)e->count;
    if (n == 0) {
        e->y_offset = e->scroll = 0;
        return;
    }
    if (height < 1) height = 1;
    e->y_offset = clamp(line, 0, n - 1);
    if (n <= e->scroll + height)
        e->scroll = n - height > 0 ? n - height : 0;
    else if (e->y_offset > e->scroll + height - 1)
        e->scroll = e->y_offset - height + 1;
    if (e->scroll > e->y_offset) e->scroll = e->y_offset;
}

void environ_move(tui_environ_t *e, int direction, bool wheel, int height)
{
    if (wheel && e->count) { /* the view scrolls, the selection keeps its row when it can */
        int old = e->scroll, top = (int)e->count - height;
        e->scroll = clamp(e->scroll + direction, 0, top > 0 ? top : 0);
        direction -= e->scroll - old;
        e->y_offset += e->scroll - old;
    }
    environ_select(e, e->y_offset + direction, height);
}

static const char *kind_of(unsigned type)
{
    bool c = type & NVITOP_PROCESS_COMPUTE, g = type & NVITOP_PROCESS_GRAPHICS;
    return c && g ? "GPU: Compute+Graphics" : c ? "GPU: Compute" : g ? "GPU: Graphics" : "Host";
}

void environ_close(tui_t *t)
{
    tui_environ_t *e = &t->env;
    environ_free_lines(e);
    sampler_environ_free(e->data);
    free(e->user);
    free(e->command);
    *e = (tui_environ_t){0};
}

static void request(tui_t *t)
{
    tui_environ_t *e = &t->env;
    sampler_environ_free(e->data);
    e->data = NULL;
    environ_free_lines(e);
    e->y_offset = e->scroll = e->x_offset = 0;
    if (t->sampler) sampler_request_environ(t->sampler, e->pid);
}

void environ_open(tui_t *t, uint32_t pid, unsigned type, const char *user, const char *command,
                  tui_screen_t back)
{
    environ_close(t);
    tui_environ_t *e = &t->env;
    e->pid = pid;
    snprintf(e->kind, sizeof(e->kind), "%s", kind_of(type));
    e->user = strdup(user ? user : NVITOP_NA_TEXT);
    e->command = strdup(command ? command : NVITOP_NA_TEXT);
    e->back = back;
    t->screen = SCREEN_ENVIRON;
    request(t);
}

bool environ_poll(tui_t *t)
{
    tui_environ_t *e = &t->env;
    if (!t->sampler || e->data) return false;
    sampler_environ_t *answer = sampler_environ_take(t->sampler);
    if (!answer) return false;
    if (answer->pid != e->pid) { /* an older request's */
        sampler_environ_free(answer);
        return false;
    }
    e->data = answer;
    if (answer->error == 0) environ_set_lines(e, answer, t->opt.ascii);
    const nvitop_host_process_t *h = answer->process;
    if (h && h->na == NVITOP_NA_NONE) { /* the header as read with it */
        if (NVITOP_HAS(h->username) && h->username.value) {
            free(e->user);
            e->user = strdup(h->username.value);
        }
        if (NVITOP_HAS(h->command) && h->command.value) {
            free(e->command);
            e->command = strdup(h->command.value);
        }
    }
    return true;
}

static int shown_lines(const tui_t *t)
{
    return t->lines - 2 > 1 ? t->lines - 2 : 1;
}

static void header_prefix(const tui_environ_t *e, char *buf, size_t len)
{
    snprintf(buf, len, "Environment of process %u (%s@%s): ", (unsigned)e->pid,
             e->user ? e->user : NVITOP_NA_TEXT, e->kind);
}

/* The widest thing that scrolls: a line, or the header. */
static int widest(const tui_environ_t *e)
{
    char prefix[256];
    header_prefix(e, prefix, sizeof(prefix));
    int w = (int)rpt_width(prefix) + (e->command ? (int)rpt_width(e->command) : 0);
    for (size_t i = 0; i < e->count; i++) {
        int lw = (int)rpt_width(e->lines[i]);
        if (lw > w) w = lw;
    }
    return w;
}

static void scroll_x(tui_t *t, int to)
{
    int max = widest(&t->env) - t->cols;
    t->env.x_offset = clamp(to, 0, max > 0 ? max : 0);
}

static void leave(tui_t *t)
{
    tui_screen_t back = t->env.back;
    environ_close(t);
    t->screen = back;
}

void environ_key(tui_t *t, const key_binding_t *b)
{
    tui_environ_t *e = &t->env;
    int height = shown_lines(t);
    switch (b->action) {
    case ACT_QUIT:
    case ACT_ENVIRONMENT:
        leave(t);
        break;
    case ACT_SELECT_UP:
    case ACT_SELECT_DOWN:
        environ_move(e, b->action == ACT_SELECT_UP ? -1 : 1, false, height);
        break;
    case ACT_SELECT_FIRST:
        environ_select(e, 0, height);
        break;
    case ACT_SELECT_LAST:
        environ_select(e, (int)e->count - 1, height);
        break;
    case ACT_SCROLL_LEFT:
    case ACT_SCROLL_RIGHT:
        scroll_x(t, e->x_offset + (b->action == ACT_SCROLL_LEFT ? -H_STEP : H_STEP));
        break;
    case ACT_SCROLL_BEGIN:
        e->x_offset = 0;
        break;
    case ACT_REFRESH:
        request(t);
        break;
    default:
        break;
    }
}

void environ_mouse(tui_t *t, int y, int x, int button)
{
    (void)x;
    tui_environ_t *e = &t->env;
    bool shift = button > 8;
    int b = shift ? button - 8 : button;
    if (b == 1 || b == 3) {
        int line = e->scroll + y - 2;
        if (y >= 2 && line < (int)e->count) environ_select(e, line, shown_lines(t));
    } else if (b == 4 || b == 5) {
        if (shift)
            scroll_x(t, e->x_offset + (b == 4 ? -WHEEL_STEP : WHEEL_STEP));
        else
            environ_move(e, b == 4 ? -1 : 1, true, shown_lines(t));
    }
}

/* Text from column `offset` on, cut or padded to `width` columns. */
static void put_from(frame_t *f, int y, const char *text, int offset, int width, tstyle_t style)
{
    strbuf_t part = {0}, line = {0};
    if (rpt_slice(&part, text, offset, (long)offset + width) == 0 &&
        rpt_ljust(&line, strbuf_str(&part), (size_t)width) == 0)
        frame_put(f, y, 0, line.data, style);
    strbuf_fini(&part);
    strbuf_fini(&line);
}

static void header(tui_t *t)
{
    tui_environ_t *e = &t->env;
    frame_t *f = &t->frame;
    char prefix[256];
    header_prefix(e, prefix, sizeof(prefix));
    int pw = (int)rpt_width(prefix), cw = e->command ? (int)rpt_width(e->command) : 0;
    int offset = clamp(e->x_offset, 0, cw + pw - t->cols > 0 ? cw + pw - t->cols : 0);
    strbuf_t sb = {0};
    if (strbuf_puts(&sb, prefix) == 0 &&
        rpt_slice(&sb, e->command ? e->command : "", offset, (long)offset + t->cols) == 0)
        put_from(f, 0, sb.data, 0, t->cols, 0);
    strbuf_fini(&sb);
    frame_chgat(f, 0, 0, pw - 1, TC_CYAN | TS_BOLD);
    for (int x = 0; x < t->cols; x++)
        frame_put(f, 1, x, "#", TC_GREEN | TS_BOLD);
}

static void unreadable(tui_t *t, int error)
{
    static const char text[] = "Could not read process environment.";
    int x = frame_put(&t->frame, 2, 0, text, TC_CYAN | TS_REVERSE);
    const char *why = error == NVITOP_ENOTFOUND ? " (the process is gone)"
                      : error == NVITOP_EPERM   ? " (permission denied)"
                                                : " (read error)";
    frame_put(&t->frame, 2, x, why, 0);
}

void environ_draw(tui_t *t)
{
    tui_environ_t *e = &t->env;
    frame_t *f = &t->frame;
    header(t);
    if (!e->data) {
        frame_put(f, 2, 0, "Reading the environment...", TS_DIM);
        return;
    }
    if (e->data->error) {
        unreadable(t, e->data->error);
        return;
    }
    int height = shown_lines(t);
    environ_select(e, e->y_offset, height); /* the size may have changed */
    for (int r = 0; r < height && e->scroll + r < (int)e->count; r++) {
        size_t i = (size_t)(e->scroll + r);
        int y = 2 + r, key = (int)e->key_len[i];
        put_from(f, y, e->lines[i], e->x_offset, t->cols, 0);
        if (e->x_offset < key) frame_chgat(f, y, 0, key - e->x_offset, TC_BLUE | TS_BOLD);
        if (e->x_offset < key + 1) frame_chgat(f, y, key - e->x_offset, 1, TC_MAGENTA);
        if ((int)i == e->y_offset) frame_chgat(f, y, 0, t->cols, TC_CYAN | TS_BOLD | TS_REVERSE);
    }
}

/* The process the main screen has selected, else nvitop itself (as nvitop does). */
void environ_open_selected(tui_t *t, tui_screen_t back)
{
    for (size_t i = 0; t->sel.set && i < t->procs.count; i++) {
        const rpt_proc_t *v = &t->procs.items[i];
        if (selection_is(&t->sel, v)) {
            environ_open(t, v->p->pid, v->p->type, v->username, v->command, back);
            return;
        }
    }
    if (t->sel.set) {
        environ_open(t, t->sel.ident.pid, 0, t->sel.username, NULL, back);
        return;
    }
    environ_open(t, (uint32_t)getpid(), 0, t->me, NULL, back);
}
