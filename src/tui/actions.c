/* SPDX-License-Identifier: Apache-2.0 */
/* What the keys and the mouse do (spec §3.1, §3.7-§3.9), looked up in the key table (keys.c):
 * the screen each goes to (a switch on the current screen routes it), the main screen's
 * selection, tags, scrolling, sorting and display modes, and signals through the confirmation
 * box from the main screen and the tree view. */
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

void tui_hot(tui_t *t, int y, int x, int width, int key)
{
    if (t->hot_count < (int)ARRAY_LEN(t->hot) && y >= 0 && y < t->lines)
        t->hot[t->hot_count++] = (tui_hot_t){y, x, width, key};
}

void tui_help_open(tui_t *t)
{
    t->help_back = t->screen;
    t->screen = SCREEN_HELP;
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
        selection_clear(t->box_back == SCREEN_TREE ? &t->tree.sel : &t->sel);
        if (t->sampler) sampler_refresh(t->sampler, SAMPLER_PROCESSES | SAMPLER_DEVICES);
    }
    confirm_close(&t->box);
    t->screen = t->box_back;
}

/* The box over the current screen (the main screen or the tree view) for its targets. */
static void open_box(tui_t *t, int option)
{
    signal_target_t targets[256];
    bool tree = t->screen == SCREEN_TREE;
    const selection_t *sel = tree ? &t->tree.sel : &t->sel;
    size_t n = tree ? tree_targets(t, targets, ARRAY_LEN(targets))
                    : selection_targets(&t->sel, t->procs.items, t->procs.count, t->me,
                                        t->sel_visible, targets, ARRAY_LEN(targets));
    if (n == 0) {
        if (sel->set && !selection_owned(t->me, sel->username))
            tui_message(t, "Process %u belongs to %s: no signal", (unsigned)sel->ident.pid,
                        sel->username);
        return;
    }
    if (confirm_open(&t->box, targets, n, option) == 0) {
        t->box_back = t->screen;
        t->screen = SCREEN_CONFIRM;
    }
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
    case ACT_HELP:
        tui_help_open(t);
        break;
    case ACT_TREE: /* once the process panel has a first snapshot (nvitop) */
        if (t->procs.have) tree_open(t);
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
    case ACT_TOGGLE_WORKLOAD:
    case ACT_GROUP_WORKLOAD:
        if (b->action == ACT_TOGGLE_WORKLOAD)
            t->show_workload = !t->show_workload;
        else
            t->group_workload = !t->group_workload;
        /* workloads are gathered while either shows them; the rows are rebuilt at once */
        if (t->sampler) sampler_set_workloads(t->sampler, t->show_workload || t->group_workload);
        tui_procs_update(t);
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
        move_selection(t, (b->action == ACT_SELECT_UP ? -1 : 1) * (b->arg ? b->arg : 1));
        break;
    case ACT_SELECT_FIRST:
        move_selection(t, SELECTION_HOME);
        break;
    case ACT_SELECT_LAST:
        move_selection(t, SELECTION_END);
        break;
    case ACT_SCROLL_LEFT:
        host_scroll(t, t->host_offset - (b->arg ? b->arg : 2), true);
        break;
    case ACT_SCROLL_RIGHT:
        host_scroll(t, t->host_offset + (b->arg ? b->arg : 2), true);
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
    if (t->screen == SCREEN_HELP) { /* any key returns */
        t->screen = t->help_back;
        t->prefix = 0;
        tui_layout(t);
        return;
    }
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
    switch (t->screen) {
    case SCREEN_MAIN:
        main_key(t, b);
        break;
    case SCREEN_TREE:
        if (b->signal) /* the same box as on the main screen */
            open_box(t, b->action == ACT_SIGNAL_TERM   ? CONFIRM_TERM
                        : b->action == ACT_SIGNAL_KILL ? CONFIRM_KILL
                                                       : CONFIRM_INT);
        else
            tree_key(t, b);
        break;
    case SCREEN_CONFIRM:
        box_key(t, b);
        break;
    case SCREEN_ENVIRON:
        environ_key(t, b);
        break;
    case SCREEN_METRICS:
        metrics_key(t, b);
        break;
    case SCREEN_HELP:
    case SCREEN__COUNT:
        break;
    }
    tui_layout(t);
}

/* A click on the main screen: a process row selects it; elsewhere clears the selection. */
static void main_click(tui_t *t, int y)
{
    int top = t->scroll + t->layout.device_height + t->layout.host_height;
    long entry = panel_process_entry(t, y - top);
    selection_reset(&t->sel);
    if (entry >= 0) selection_select(&t->sel, t->procs.items, t->procs.count, (size_t)entry);
    tui_layout(t);
}

/* A click on a button of the box: it is chosen and applies after the box's delay. */
static void box_click(tui_t *t, int y, int x)
{
    int option = confirm_hit(&t->box, t->lines, t->cols, y, x);
    if (option < 0) return;
    t->box.current = option;
    t->box.pending_at = t->now_ns + CONFIRM_DELAY_NS;
}

/* The environment and metrics screens take clicks and the wheel themselves (Ctrl: 5 rows). */
static void detail_mouse(tui_t *t, int y, int x, int button)
{
    void (*handle)(tui_t *, int, int, int) =
        t->screen == SCREEN_ENVIRON ? environ_mouse : metrics_mouse;
    int b = (button & 7) + (button & 8), times = (button & 16) && (b == 4 || b == 5) ? 5 : 1;
    while (times-- > 0)
        handle(t, y, x, b);
}

void tui_mouse(tui_t *t, int y, int x, int button)
{
    int b = button & 7;
    if (t->screen == SCREEN_ENVIRON || t->screen == SCREEN_METRICS) {
        detail_mouse(t, y, x, button);
        return;
    }
    if (b == 4 || b == 5) { /* the wheel is bound in the key table */
        int key = button & 16  ? (b == 4 ? TK_CTRL_WHEEL_UP : TK_CTRL_WHEEL_DOWN)
                  : button & 8 ? (b == 4 ? TK_SHIFT_WHEEL_UP : TK_SHIFT_WHEEL_DOWN)
                               : (b == 4 ? TK_WHEEL_UP : TK_WHEEL_DOWN);
        if (t->screen != SCREEN_HELP) tui_key(t, key);
        return;
    }
    if (t->screen == SCREEN_HELP) { /* a click returns, as any key */
        tui_key(t, TK_MOUSE);
        return;
    }
    if (t->screen != SCREEN_CONFIRM)
        for (int i = 0; i < t->hot_count; i++)
            if (t->hot[i].y == y && x >= t->hot[i].x && x < t->hot[i].x + t->hot[i].width) {
                tui_key(t, t->hot[i].key);
                return;
            }
    switch (t->screen) {
    case SCREEN_MAIN:
        main_click(t, y);
        break;
    case SCREEN_TREE:
        tree_click(t, y, x);
        break;
    case SCREEN_CONFIRM:
        box_click(t, y, x);
        break;
    case SCREEN_HELP:
    case SCREEN_ENVIRON:
    case SCREEN_METRICS:
    case SCREEN__COUNT:
        break;
    }
}

void tui_tick(tui_t *t)
{
    if (t->message[0] && t->now_ns >= t->message_until) t->message[0] = '\0';
    if (t->screen == SCREEN_CONFIRM && t->box.pending_at && t->now_ns >= t->box.pending_at)
        apply(t, t->box.current);
}
