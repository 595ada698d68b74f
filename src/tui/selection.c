/* SPDX-License-Identifier: Apache-2.0 */
/* Selection and tags of the process panel (selection.h). */
#include "tui/selection.h"

#include <stdlib.h>
#include <string.h>

proc_ident_t selection_ident_of(const rpt_proc_t *v)
{
    proc_ident_t id = {v->p->pid, -1, -1, -1};
    if (NVITOP_HAS(v->p->host.create_time_s)) id.create_time_s = v->p->host.create_time_s.value;
    if (v->dev) {
        id.physical = v->dev->physical_index;
        id.mig = v->dev->is_mig ? v->dev->mig_index : -1;
    }
    return id;
}

static bool same_host(proc_ident_t a, proc_ident_t b)
{
    return a.pid == b.pid && a.create_time_s == b.create_time_s;
}

bool selection_is(const selection_t *s, const rpt_proc_t *v)
{
    if (!s->set) return false;
    proc_ident_t id = selection_ident_of(v);
    return same_host(s->ident, id) && s->ident.physical == id.physical && s->ident.mig == id.mig;
}

bool selection_same_host(const selection_t *s, const rpt_proc_t *v)
{
    return s->set && same_host(s->ident, selection_ident_of(v));
}

static size_t tag_position(const selection_t *s, uint32_t pid, bool *found)
{
    size_t lo = 0, hi = s->tag_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->tags[mid] < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->tag_count && s->tags[lo] == pid;
    return lo;
}

bool selection_tagged(const selection_t *s, uint32_t pid)
{
    bool found;
    tag_position(s, pid, &found);
    return found;
}

void selection_reset(selection_t *s)
{
    s->set = false;
    s->index = 0;
    s->username[0] = '\0';
}

void selection_clear(selection_t *s)
{
    selection_reset(s);
    s->tag_count = 0;
}

void selection_fini(selection_t *s)
{
    free(s->tags);
    memset(s, 0, sizeof(*s));
}

void selection_select(selection_t *s, const rpt_proc_t *procs, size_t count, size_t index)
{
    if (index >= count) {
        selection_reset(s);
        return;
    }
    s->set = true;
    s->index = index;
    s->ident = selection_ident_of(&procs[index]);
    str_copy(s->username, sizeof(s->username), procs[index].username);
}

int selection_move(selection_t *s, const rpt_proc_t *procs, size_t count, int direction)
{
    if (direction == 0) return 0;
    if (count == 0) {
        selection_clear(s);
        return 0;
    }
    long index, last = (long)count - 1;
    bool was_set = s->set;
    long old = (long)s->index;
    if (!was_set) {
        bool big = direction <= SELECTION_HOME || direction >= SELECTION_END;
        index = (direction > 0) != big ? 0 : last;
    } else {
        index = old + direction;
        index = index < 0 ? 0 : index > last ? last : index;
    }
    selection_select(s, procs, count, (size_t)index);
    return was_set ? direction - (int)(index - old) : 0;
}

void selection_refind(selection_t *s, const rpt_proc_t *procs, size_t count)
{
    if (s->set) {
        proc_ident_t id = s->ident;
        selection_reset(s);
        for (size_t i = 0; i < count; i++) {
            proc_ident_t other = selection_ident_of(&procs[i]);
            if (same_host(id, other) && id.physical == other.physical && id.mig == other.mig) {
                selection_select(s, procs, count, i);
                break;
            }
        }
    }
    size_t kept = 0;
    for (size_t t = 0; t < s->tag_count; t++) {
        bool listed = false;
        for (size_t i = 0; i < count && !listed; i++)
            listed = procs[i].p->pid == s->tags[t];
        if (listed) s->tags[kept++] = s->tags[t];
    }
    s->tag_count = kept;
}

int selection_toggle_tag(selection_t *s)
{
    if (!s->set) return 0;
    bool found;
    size_t at = tag_position(s, s->ident.pid, &found);
    if (found) {
        memmove(&s->tags[at], &s->tags[at + 1], (s->tag_count - at - 1) * sizeof(*s->tags));
        s->tag_count--;
        return 0;
    }
    void *tags = s->tags;
    if (array_reserve(&tags, &s->tag_cap, s->tag_count + 1, sizeof(*s->tags)) < 0) return -1;
    s->tags = tags;
    memmove(&s->tags[at + 1], &s->tags[at], (s->tag_count - at) * sizeof(*s->tags));
    s->tags[at] = s->ident.pid;
    s->tag_count++;
    return 0;
}

bool selection_owned(const char *me, const char *username)
{
    return strcmp(me, "root") == 0 || strcmp(me, username) == 0;
}

size_t selection_targets(const selection_t *s, const rpt_proc_t *procs, size_t count,
                         const char *me, bool visible, signal_target_t *out, size_t max)
{
    size_t n = 0;
    for (size_t t = 0; t < s->tag_count && n < max; t++) {
        for (size_t i = 0; i < count; i++) {
            if (procs[i].p->pid != s->tags[t]) continue;
            if (selection_owned(me, procs[i].username)) {
                out[n].pid = s->tags[t];
                str_copy(out[n].username, sizeof(out[n].username), procs[i].username);
                n++;
            }
            break;
        }
    }
    if (s->tag_count || !s->set || !visible || !selection_owned(me, s->username) || max == 0)
        return n;
    out[0].pid = s->ident.pid;
    str_copy(out[0].username, sizeof(out[0].username), s->username);
    return 1;
}
