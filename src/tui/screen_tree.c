/* SPDX-License-Identifier: Apache-2.0 */
/* The tree view (spec §3.6): the GPU processes with their ancestors and children from the
 * sampler's process tree, a header in reverse video with the signal hint, the selection, tags
 * and horizontal scroll of nvitop's TreeViewScreen. Signals go through the same box as on the
 * main screen (actions.c). */
#include "tui/tui_internal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/proc_tree.h"

#define SIGNAL_HINT "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)"

void tree_open(tui_t *t)
{
    t->screen = SCREEN_TREE;
    t->tree.top = 0;
    t->tree.x_offset = 0;
    t->tree.have = false;
    selection_clear(&t->tree.sel);
    if (t->sel.set) { /* start from the main screen's selection */
        t->tree.sel.set = true;
        t->tree.sel.ident.pid = t->sel.ident.pid;
    }
    if (t->sampler) sampler_set_tree(t->sampler, true);
}

void tree_release(tui_t *t)
{
    if (t->tree.snap && t->sampler) sampler_tree_release(t->sampler, t->tree.snap);
    t->tree.snap = NULL;
}

void tree_close(tui_t *t)
{
    t->screen = SCREEN_MAIN;
    if (t->sampler) sampler_set_tree(t->sampler, false);
    tree_release(t);
    if (t->tree.sel.set) { /* the tree's selection, when it is a GPU process listed there */
        for (size_t i = 0; i < t->procs.count; i++)
            if (t->procs.items[i].p->pid == t->tree.sel.ident.pid) {
                selection_select(&t->sel, t->procs.items, t->procs.count, i);
                break;
            }
    }
    tree_rows_free(&t->tree.rows);
    selection_clear(&t->tree.sel);
}

/* The rows the screen has for the tree (the header takes one). */
static int page(const tui_t *t)
{
    return t->lines > 1 ? t->lines - 1 : 1;
}

/* Finds the selected pid again: dropped when it left the tree; the view follows it. */
static void refind(tui_t *t)
{
    tui_tree_t *v = &t->tree;
    if (!v->have) return; /* no tree yet: keep what the main screen selected */
    if (v->sel.set) {
        int i = tree_rows_find(&v->rows, v->sel.ident.pid);
        if (i < 0)
            selection_reset(&v->sel);
        else
            v->sel.index = (size_t)i;
    }
    if (v->sel.set) {
        snprintf(v->sel.username, sizeof(v->sel.username), "%s",
                 v->rows.rows[v->sel.index].username);
        if ((int)v->sel.index < v->top) v->top = (int)v->sel.index;
        if ((int)v->sel.index >= v->top + page(t)) v->top = (int)v->sel.index - page(t) + 1;
    }
    int max_top = (int)v->rows.count - page(t);
    if (v->top > max_top) v->top = max_top;
    if (v->top < 0) v->top = 0;
}

bool tree_take(tui_t *t)
{
    if (!t->sampler || t->screen != SCREEN_TREE) return false;
    uint64_t seq;
    const ptree_t *snap = sampler_tree_acquire(t->sampler, &seq);
    if (!snap || (t->tree.snap && seq == t->tree.seq)) {
        sampler_tree_release(t->sampler, snap);
        return false;
    }
    tree_release(t);
    t->tree.snap = snap;
    t->tree.seq = seq;
    t->tree.have = true;
    tree_rows_free(&t->tree.rows);
    if (tree_rows_build(snap, &t->tree.rows) < 0) tui_message(t, "Out of memory");
    refind(t);
    return true;
}

static void select_row(tui_t *t, size_t i)
{
    tui_tree_t *v = &t->tree;
    if (i >= v->rows.count) return;
    v->sel.set = true;
    v->sel.index = i;
    v->sel.ident.pid = v->rows.rows[i].pid;
    refind(t);
}

/* nvitop's Selection.move: no selection selects the first (down) or last (up) row; Home and
 * End go to the ends from anywhere. */
static void move(tui_t *t, int direction)
{
    tui_tree_t *v = &t->tree;
    long n = (long)v->rows.count;
    if (n == 0) return;
    long at = direction == SELECTION_HOME  ? 0
              : direction == SELECTION_END ? n - 1
              : !v->sel.set                ? (direction > 0 ? 0 : n - 1)
                                           : (long)v->sel.index + direction;
    if (at < 0) at = 0;
    if (at >= n) at = n - 1;
    select_row(t, (size_t)at);
}

static void scroll(tui_t *t, int columns)
{
    int at = t->tree.x_offset + columns;
    t->tree.x_offset = at < 0 ? 0 : at > 1 << 20 ? 1 << 20 : at;
}

/* `e`: the environment of the selected row (of nvitop itself when none is selected). */
static void tree_environ(tui_t *t)
{
    int i = t->tree.sel.set ? tree_rows_find(&t->tree.rows, t->tree.sel.ident.pid) : -1;
    if (i < 0) {
        environ_open(t, (uint32_t)getpid(), 0, t->me, NULL, SCREEN_TREE);
        return;
    }
    const tree_row_t *r = &t->tree.rows.rows[i];
    for (size_t k = 0; k < t->procs.count; k++) { /* a GPU process: its kind in the header */
        const rpt_proc_t *v = &t->procs.items[k];
        if (v->p->pid == r->pid) {
            environ_open(t, r->pid, v->p->type, v->username, v->command, SCREEN_TREE);
            return;
        }
    }
    environ_open(t, r->pid, 0, r->username, NULL, SCREEN_TREE);
}

void tree_key(tui_t *t, const key_binding_t *b)
{
    int rows = b->arg ? b->arg : 1, columns = b->arg ? b->arg : 5;
    switch (b->action) {
    case ACT_TREE:
    case ACT_BACK:
        tree_close(t);
        break;
    case ACT_HELP:
        tui_help_open(t);
        break;
    case ACT_ENVIRONMENT:
        tree_environ(t);
        break;
    case ACT_SELECT_UP:
    case ACT_SELECT_DOWN:
        move(t, b->action == ACT_SELECT_UP ? -rows : rows);
        break;
    case ACT_SELECT_FIRST:
        move(t, SELECTION_HOME);
        break;
    case ACT_SELECT_LAST:
        move(t, SELECTION_END);
        break;
    case ACT_SCROLL_LEFT:
        scroll(t, -columns);
        break;
    case ACT_SCROLL_RIGHT:
        scroll(t, columns);
        break;
    case ACT_SCROLL_BEGIN:
        t->tree.x_offset = 0;
        break;
    case ACT_CLEAR:
        selection_clear(&t->tree.sel);
        break;
    case ACT_TAG:
        selection_toggle_tag(&t->tree.sel);
        move(t, 1);
        break;
    default:
        break;
    }
}

void tree_click(tui_t *t, int y, int x)
{
    (void)x;
    long i = (long)t->tree.top + y - 1;
    if (y >= 1 && i < (long)t->tree.rows.count)
        select_row(t, (size_t)i);
    else
        selection_reset(&t->tree.sel);
}

size_t tree_targets(const tui_t *t, signal_target_t *out, size_t max)
{
    const tui_tree_t *v = &t->tree;
    size_t n = 0;
    for (size_t k = 0; k < v->sel.tag_count && n < max; k++) {
        int i = tree_rows_find(&v->rows, v->sel.tags[k]);
        if (i < 0 || v->rows.rows[i].gone || !selection_owned(t->me, v->rows.rows[i].username))
            continue;
        out[n].pid = v->sel.tags[k];
        snprintf(out[n].username, sizeof(out[n].username), "%s", v->rows.rows[i].username);
        n++;
    }
    if (v->sel.tag_count || !v->sel.set || v->sel.index >= v->rows.count || max == 0) return n;
    const tree_row_t *r = &v->rows.rows[v->sel.index];
    if (r->gone || !selection_owned(t->me, r->username)) return 0;
    out[0].pid = r->pid;
    snprintf(out[0].username, sizeof(out[0].username), "%s", r->username);
    return 1;
}

/* The text of `text` from column x_offset, `width` columns. */
static void put_sliced(frame_t *f, int y, const char *text, int x_offset, int width, tstyle_t style)
{
    strbuf_t cut = {0};
    rpt_slice(&cut, text, x_offset, (long)x_offset + width);
    frame_put(f, y, 0, strbuf_str(&cut), style);
    strbuf_fini(&cut);
}

static void header(tui_t *t)
{
    frame_t *f = &t->frame;
    const tree_rows_t *r = &t->tree.rows;
    const char *head = r->header ? r->header : "COMMAND";
    if (t->tree.x_offset < r->command_at)
        put_sliced(f, 0, head, t->tree.x_offset, t->cols, 0);
    else
        frame_put(f, 0, 0, "COMMAND", 0);
    frame_chgat(f, 0, 0, t->cols, TC_CYAN | TS_BOLD | TS_REVERSE);
    signal_target_t one;
    if (t->opt.readonly || tree_targets(t, &one, 1) == 0) return;
    int x = t->cols - (int)strlen(SIGNAL_HINT);
    frame_put(f, 0, x, SIGNAL_HINT, TC_CYAN | TS_BOLD | TS_REVERSE);
    static const struct {
        int dx, w, key;
    } keys[] = {{7, 2, TK_CTRL_C}, {15, 1, 'T'}, {23, 1, 'K'}};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        frame_chgat(f, 0, x + keys[i].dx, keys[i].w, TC_YELLOW | TS_BOLD | TS_REVERSE);
        tui_hot(t, 0, x + keys[i].dx, keys[i].w, keys[i].key);
    }
}

static void row(tui_t *t, int y, size_t i)
{
    frame_t *f = &t->frame;
    const tui_tree_t *v = &t->tree;
    const tree_row_t *r = &v->rows.rows[i];
    put_sliced(f, y, r->text, v->x_offset, t->cols, 0);
    bool tagged = selection_tagged(&v->sel, r->pid);
    if (v->sel.set && v->have && v->sel.index == i) {
        frame_chgat(f, y, 0, t->cols, (tagged ? TC_YELLOW : TC_GREEN) | TS_BOLD | TS_REVERSE);
        return;
    }
    tstyle_t dim = selection_owned(t->me, r->username) ? 0 : TS_DIM;
    if (tagged)
        frame_chgat(f, y, 0, t->cols, TC_YELLOW | TS_BOLD | dim);
    else if (dim)
        frame_chgat(f, y, 0, t->cols, dim);
    int px = r->prefix_at - v->x_offset, pw = r->prefix_width;
    if (px < 0) pw += px, px = 0;
    if (pw > 0) frame_chgat(f, y, px, pw, TC_GREEN | TS_BOLD | dim);
}

void tree_draw(tui_t *t)
{
    refind(t); /* the terminal may have changed size */
    header(t);
    const tui_tree_t *v = &t->tree;
    if (v->have && v->rows.count == 0) {
        frame_put(&t->frame, 1, 0,
                  t->opt.wsl ? "No running GPU processes found (in WSL)."
                             : "No running GPU processes found.",
                  0);
        return;
    }
    for (int y = 1; y < t->lines && (size_t)(v->top + y - 1) < v->rows.count; y++)
        row(t, y, (size_t)(v->top + y - 1));
}
