/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen's layout rules (layout.h), as nvitop's MainScreen.update_size has them. */
#include "tui/layout.h"

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

int layout_device_height(const layout_input_t *in, bool compact)
{
    if (in->devices == 0) return 6;
    int h = 4 + 2 * (in->devices + 1) + in->migs + in->mig_enabled;
    return compact ? h : h + in->devices + 1;
}

int layout_host_height(const layout_input_t *in, bool compact)
{
    if (in->host_hidden) return 0;
    return compact || in->host_compact_only ? 2 : 12;
}

int layout_process_height(const layout_input_t *in, bool compact)
{
    return 1 + max_int(6, 5 + in->processes + (compact ? 0 : in->process_rules));
}

static void choose(const layout_input_t *in, int scroll, layout_t *out)
{
    int height = in->lines - scroll;
    int dev_full = layout_device_height(in, false), dev_compact = layout_device_height(in, true);
    int host_full = layout_host_height(in, false), host_compact = layout_host_height(in, true);
    int proc_full = layout_process_height(in, false);
    if (in->mode == TUI_MODE_AUTO) {
        out->device_compact = height < dev_full + host_full + proc_full;
        out->host_compact = height < dev_compact + host_full + proc_full;
        out->process_compact = height < dev_compact + host_compact + proc_full;
    } else {
        out->device_compact = out->host_compact = out->process_compact =
            in->mode == TUI_MODE_COMPACT;
    }
    out->host_compact |= in->host_compact_only;
    out->device_height = layout_device_height(in, out->device_compact);
    out->host_height = layout_host_height(in, out->host_compact);
    out->process_height = layout_process_height(in, out->process_compact);
    out->total = out->device_height + out->host_height + out->process_height;
    out->scroll = scroll;
}

void layout_compute(const layout_input_t *in, layout_t *out)
{
    int scroll = in->scroll > 0 ? 0 : in->scroll;
    choose(in, scroll, out);
    /* Scrolled past the end: move back so the last line is on the last row (in `auto` the
     * forms depend on the scroll, so choose again). */
    for (int i = 0; i < 4 && out->scroll < 0 && out->scroll + out->total < in->lines; i++) {
        int want = in->lines - out->total;
        choose(in, want > 0 ? 0 : want, out);
    }
}
