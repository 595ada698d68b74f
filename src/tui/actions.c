/* SPDX-License-Identifier: Apache-2.0 */
/* What the keys do (spec §3.7-§3.9), looked up in the key table (keys.c): selection, tags,
 * scrolling, sorting, display modes, and signals through the confirmation box. */
#include "tui/tui_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MESSAGE_NS (4 * NS_PER_SEC)

void tui_message(tui_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof(t->message), fmt, ap);
    va_end(ap);
    t->message_until = t->now_ns + MESSAGE_NS;
}

static void move_selection(tui_t *t, int direction)
{
    int rest = selection_move(&t->sel, t->procs.items, t->procs.count, direction);
    if (rest) tui_screen_move(t, rest);
}

static void host_scroll(tui_t *t, int to, bool beep)
{
    int max = t->procs.info_width - (t->cols < 79 ? 79 : t->cols) + 45;
    int want = to;
    if (to > max) to = max;
    if (to < -1) to = -1;
    if (beep && want != to) t->beep = true;
    t->host_offset = to;
}

/* Sends the box's signal to its processes: a process already gone or not ours is skipped
 * quietly, as in nvitop; then the selection and tags are cleared and processes re-read. */
static void apply(tui_t *t, int option)
{
    static const int signals[] = {SIGTERM, SIGKILL, SIGINT};
    static const char *const names[] = {"SIGTERM", "SIGKILL", "SIGINT"};
    if (option < CONFIRM_CANCEL && !t->opt.readonly) {
        int sent = 0;
        for (size_t i = 0; i < t->box.count; i++)
            if (kill((pid_t)t->box.targets[i].pid, signals[option]) == 0) sent++;
        t->signals_sent += sent;
        if (sent)
            tui_message(t, "%s sent to %d process%s", names[option], sent, sent > 1 ? "es" : "");
        selection_clear(&t->sel);
        if (t->sampler) sampler_refresh(t->sampler, SAMPLER_PROCESSES | SAMPLER_DEVICES);
    }
    confirm_close(&t->box);
    t->screen = SCREEN_MAIN;
}

static void open_box(tui_t *t, int option)
{
    signal_target_t targets[256];
    size_t n = selection_targets(&t->sel, t->procs.items, t->procs.count, t->me, t->sel_visible,
                                 targets, ARRAY_LEN(targets));
    if (n == 0) {
        if (t->sel.set && !selection_owned(t->me, t->sel.username))
            tui_message(t, "Process %u belongs to %s: no signal", (unsigned)t->sel.ident.pid,
                        t->sel.username);
        return;
    }
    if (confirm_open(&t->box, targets, n, option) == 0) t->screen = SCREEN_CONFIRM;
}

static void box_key(tui_t *t, const key_binding_t *b)
{
    switch (b->action) {
    case ACT_BOX_CHOOSE:
        if (confirm_choose(&t->box, b->arg, t->now_ns)) apply(t, b->arg);
        break;
    case ACT_BOX_APPLY:
        apply(t, t->box.current);
        break;
    case ACT_BOX_CANCEL:
        apply(t, CONFIRM_CANCEL);
        break;
    case ACT_BOX_PREV:
        t->box.current = (t->box.current + CONFIRM__COUNT - 1) % CONFIRM__COUNT;
        break;
    case ACT_BOX_NEXT:
        t->box.current = (t->box.current + 1) % CONFIRM__COUNT;
        break;
    default:
        break;
    }
}

static void sort_by(tui_t *t, sort_order_t order, bool reverse)
{
    t->order = order;
    t->reverse = reverse;
    tui_procs_resort(t);
}

static void main_key(tui_t *t, const key_binding_t *b)
{
    switch (b->action) {
    case ACT_QUIT:
        t->quit = true;
        break;
    case ACT_MODE_AUTO:
    case ACT_MODE_FULL:
    case ACT_MODE_COMPACT:
        t->mode = b->action == ACT_MODE_AUTO   ? TUI_MODE_AUTO
                  : b->action == ACT_MODE_FULL ? TUI_MODE_FULL
                                               : TUI_MODE_COMPACT;
        break;
    case ACT_TOGGLE_HOST:
        t->host_hidden = !t->host_hidden;
        break;
    case ACT_REFRESH:
        selection_clear(&t->sel);
        t->host_offset = -1;
        t->scroll = 0;
        t->repaint = true;
        if (t->sampler)
            sampler_refresh(t->sampler, SAMPLER_DEVICES | SAMPLER_HOST | SAMPLER_PROCESSES);
        break;
    case ACT_SELECT_UP:
    case ACT_SELECT_DOWN:
        move_selection(t, b->action == ACT_SELECT_UP ? -1 : 1);
        break;
    case ACT_SELECT_FIRST:
        move_selection(t, SELECTION_HOME);
        break;
    case ACT_SELECT_LAST:
        move_selection(t, SELECTION_END);
        break;
    case ACT_SCROLL_LEFT:
        host_scroll(t, t->host_offset - 2, true);
        break;
    case ACT_SCROLL_RIGHT:
        host_scroll(t, t->host_offset + 2, true);
        break;
    case ACT_SCROLL_BEGIN:
        t->host_offset = -1;
        break;
    case ACT_SCROLL_END:
        host_scroll(t, 1 << 20, false);
        break;
    case ACT_SCREEN_UP:
    case ACT_SCREEN_DOWN:
        tui_screen_move(t, b->action == ACT_SCREEN_UP ? -1 : 1);
        break;
    case ACT_CLEAR:
        selection_clear(&t->sel);
        break;
    case ACT_TAG:
        selection_toggle_tag(&t->sel);
        move_selection(t, 1);
        break;
    case ACT_SIGNAL_TERM:
        open_box(t, CONFIRM_TERM);
        break;
    case ACT_SIGNAL_KILL:
        open_box(t, CONFIRM_KILL);
        break;
    case ACT_SIGNAL_INT:
        open_box(t, CONFIRM_INT);
        break;
    case ACT_ORDER_PREV:
        sort_by(t, sort_prev(t->order), false);
        break;
    case ACT_ORDER_NEXT:
        sort_by(t, sort_next(t->order), false);
        break;
    case ACT_ORDER_REVERSE:
        sort_by(t, t->order, !t->reverse);
        break;
    case ACT_SORT:
        sort_by(t, (sort_order_t)(b->arg / 2), b->arg % 2);
        break;
    case ACT_ENVIRONMENT:
        environ_open_selected(t, SCREEN_MAIN);
        break;
    case ACT_METRICS:
        metrics_open(t);
        break;
    default:
        break;
    }
}

void tui_key(tui_t *t, int key)
{
    int keys[2] = {t->prefix ? t->prefix : key, key};
    size_t n = t->prefix ? 2 : 1;
    bool prefix;
    const key_binding_t *b = keys_lookup(t->screen, keys, n, t->opt.readonly, &prefix);
    t->prefix = 0;
    if (prefix && !b && n == 1) { /* `o`: wait for the letter */
        t->prefix = key;
        return;
    }
    if (!b) return;
    if (b->later) { /* the help, tree, environment and metrics screens come later */
        const char *what = b->action == ACT_HELP          ? "The help screen"
                           : b->action == ACT_TREE        ? "The tree view"
                           : b->action == ACT_ENVIRONMENT ? "The environment screen"
                                                          : "The metrics screen";
        tui_message(t, "%s is not in this build yet", what);
        return;
    }
    if (t->screen == SCREEN_CONFIRM)
        box_key(t, b);
    else if (t->screen == SCREEN_ENVIRON)
        environ_key(t, b);
    else if (t->screen == SCREEN_METRICS)
        metrics_key(t, b);
    else
        main_key(t, b);
    tui_layout(t);
}

void tui_mouse(tui_t *t, int y, int x, int button)
{
    bool shift = button > 8;
    int b = shift ? button - 8 : button;
    if (t->screen == SCREEN_ENVIRON || t->screen == SCREEN_METRICS) {
        (t->screen == SCREEN_ENVIRON ? environ_mouse : metrics_mouse)(t, y, x, button);
        return;
    }
    if (t->screen == SCREEN_CONFIRM) {
        if (b == 4 || b == 5)
            t->box.current = (t->box.current + (b == 4 ? CONFIRM__COUNT - 1 : 1)) % CONFIRM__COUNT;
        return;
    }
    (void)x;
    if (b == 1 || b == 3) { /* a click on a process row selects it; elsewhere clears */
        int top = t->scroll + t->layout.device_height + t->layout.host_height;
        selection_reset(&t->sel);
        for (size_t i = 0; i < t->procs.count; i++)
            if (top + panel_process_row(t, i) == y) {
                selection_select(&t->sel, t->procs.items, t->procs.count, i);
                break;
            }
    } else if (shift) {
        host_scroll(t, t->host_offset + (b == 4 ? -2 : 2), true);
    } else {
        move_selection(t, b == 4 ? -1 : 1);
    }
    tui_layout(t);
}

void tui_tick(tui_t *t)
{
    if (t->message[0] && t->now_ns >= t->message_until) t->message[0] = '\0';
    if (t->screen == SCREEN_CONFIRM && t->box.pending_at && t->now_ns >= t->box.pending_at)
        apply(t, t->box.current);
}
