/* SPDX-License-Identifier: Apache-2.0 */
/* NVLink throughput: per-link TX/RX data counters (KiB) read through field values and turned
 * into KiB/s from the delta since the previous sample (two samples 20 ms apart the first time,
 * as nvitop does). Slow by nature, so only asked for with NVITOP_DQ_NVLINK. Every link (up to
 * NVITOP_NVLINK_LINKS_MAX, 36 since CUDA 13.3) lands in the device's nvitop_nvlinks_t; the
 * snapshot's fixed 1.x arrays get the first NVITOP_NVLINK_MAX_LINKS, its totals all of them. */
#include "core/core_internal.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

static nvitop_int_t link_count(nvitop_device_t *dev)
{
    if (dev->nvlink_count_read) return dev->nvlink_count;
    nvitop_na_t na = device_memo_check(dev, NVML_FN_FIELD_VALUES, 0);
    nvmlFieldValue_t f;
    memset(&f, 0, sizeof(f));
    f.fieldId = NVML_FI_DEV_NVLINK_LINK_COUNT;
    if (!na)
        na = device_memo_record(dev, NVML_FN_FIELD_VALUES, 0,
                                nvml_device_field_values(&dev->ctx->nvml, dev->handle, 1, &f));
    if (!na) na = nvml_na_from_return(f.nvmlReturn);
    nvitop_int_t count = na ? na_int(na) : some_int(f.value.uiVal);
    if (count.na == NVITOP_NA_NONE && count.value > NVITOP_NVLINK_LINKS_MAX)
        count.value = NVITOP_NVLINK_LINKS_MAX;
    if (na != NVITOP_NA_GPU_LOST && na != NVITOP_NA_TIMEOUT && na != NVITOP_NA_DRIVER_ERROR) {
        dev->nvlink_count_read = true;
        dev->nvlink_count = count;
    }
    return count;
}

/* Reads the TX and RX counters of `links` links; returns the call's reason. */
static nvitop_na_t read_counters(nvitop_device_t *dev, unsigned links, nvmlFieldValue_t *fields)
{
    memset(fields, 0, 2 * links * sizeof(*fields));
    for (unsigned l = 0; l < links; l++) {
        fields[2 * l].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
        fields[2 * l].scopeId = l;
        fields[2 * l + 1].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX;
        fields[2 * l + 1].scopeId = l;
    }
    return nvml_na_from_return(
        nvml_device_field_values(&dev->ctx->nvml, dev->handle, (int)(2 * links), fields));
}

static unsigned long long counter_value(const nvmlFieldValue_t *f)
{
    switch (f->valueType) {
    case NVML_VALUE_TYPE_UNSIGNED_INT:
        return f->value.uiVal;
    case NVML_VALUE_TYPE_UNSIGNED_LONG:
        return f->value.ulVal;
    case NVML_VALUE_TYPE_SIGNED_LONG_LONG:
        return f->value.sllVal < 0 ? 0 : (unsigned long long)f->value.sllVal;
    default:
        return f->value.ullVal;
    }
}

static nvitop_int_t link_rate(const nvmlFieldValue_t *f, unsigned long long prev, long long prev_us)
{
    if (f->nvmlReturn != NVML_SUCCESS) return na_int(nvml_na_from_return(f->nvmlReturn));
    unsigned long long now = counter_value(f);
    long long dt = f->timestamp - prev_us;
    if (dt <= 0 || now < prev) return na_int(NVITOP_NA_NEEDS_TWO_SAMPLES);
    return some_int((int64_t)((double)(now - prev) * 1e6 / (double)dt));
}

static void remember(nvitop_device_t *dev, unsigned links, const nvmlFieldValue_t *fields)
{
    for (unsigned l = 0; l < links; l++) {
        dev->nvlink_prev_tx[l] = counter_value(&fields[2 * l]);
        dev->nvlink_prev_rx[l] = counter_value(&fields[2 * l + 1]);
    }
    dev->nvlink_prev_us = links ? fields[0].timestamp : 0;
    dev->nvlink_have_prev = links > 0;
}

static void set_totals(nvitop_device_snapshot_t *o, const nvitop_nvlinks_t *all, nvitop_na_t why)
{
    int64_t tx = 0, rx = 0;
    unsigned ntx = 0, nrx = 0;
    unsigned links = NVITOP_HAS(all->count) ? (unsigned)all->count.value : 0;
    for (unsigned l = 0; l < links; l++) {
        if (NVITOP_HAS(all->tx_kibps[l])) tx += all->tx_kibps[l].value, ntx++;
        if (NVITOP_HAS(all->rx_kibps[l])) rx += all->rx_kibps[l].value, nrx++;
    }
    o->nvlink_total_tx_kibps = ntx ? some_int(tx) : na_int(why);
    o->nvlink_total_rx_kibps = nrx ? some_int(rx) : na_int(why);
    o->nvlink_mean_tx_kibps = ntx ? some_int((tx + ntx / 2) / ntx) : na_int(why);
    o->nvlink_mean_rx_kibps = nrx ? some_int((rx + nrx / 2) / nrx) : na_int(why);
}

/* The rates of every link into dev->nvlinks (the rest: not applicable). */
static void measure_links(nvitop_device_t *dev, unsigned links, nvitop_na_t na,
                          const nvmlFieldValue_t *fields)
{
    nvitop_nvlinks_t *all = &dev->nvlinks;
    for (unsigned l = 0; l < links; l++) {
        all->tx_kibps[l] =
            na ? na_int(na)
               : link_rate(&fields[2 * l], dev->nvlink_prev_tx[l], dev->nvlink_prev_us);
        all->rx_kibps[l] =
            na ? na_int(na)
               : link_rate(&fields[2 * l + 1], dev->nvlink_prev_rx[l], dev->nvlink_prev_us);
    }
    for (unsigned l = links; l < NVITOP_NVLINK_LINKS_MAX; l++)
        all->tx_kibps[l] = all->rx_kibps[l] = na_int(NVITOP_NA_NOT_APPLICABLE);
}

/* The snapshot's share: the first NVITOP_NVLINK_MAX_LINKS links (its 1.x arrays). */
static void fill_snapshot(nvitop_device_snapshot_t *o, const nvitop_nvlinks_t *all)
{
    o->nvlink_count = all->count;
    if (NVITOP_HAS(o->nvlink_count) && o->nvlink_count.value > NVITOP_NVLINK_MAX_LINKS)
        o->nvlink_count.value = NVITOP_NVLINK_MAX_LINKS;
    memcpy(o->nvlink_tx_kibps, all->tx_kibps, sizeof(o->nvlink_tx_kibps));
    memcpy(o->nvlink_rx_kibps, all->rx_kibps, sizeof(o->nvlink_rx_kibps));
}

void device_query_nvlink(nvitop_device_t *dev, nvitop_device_snapshot_t *o)
{
    nvitop_int_t count = link_count(dev);
    unsigned links = NVITOP_HAS(count) ? (unsigned)count.value : 0;
    nvitop_na_t why = NVITOP_HAS(count) ? NVITOP_NA_NOT_SUPPORTED : count.na;
    nvmlFieldValue_t fields[2 * NVITOP_NVLINK_LINKS_MAX];
    nvitop_na_t na = links ? read_counters(dev, links, fields) : why;
    if (!na && !dev->nvlink_have_prev) {
        remember(dev, links, fields);
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
        na = read_counters(dev, links, fields);
    }
    dev->nvlinks.count = count;
    measure_links(dev, links, na, fields);
    if (!na) remember(dev, links, fields);
    fill_snapshot(o, &dev->nvlinks);
    set_totals(o, &dev->nvlinks, na ? na : why);
}

void device_nvlinks_clear(nvitop_nvlinks_t *out)
{
    nvitop_int_t none = na_int(NVITOP_NA_NOT_SAMPLED);
    out->size = sizeof(*out);
    out->count = none;
    for (size_t l = 0; l < NVITOP_NVLINK_LINKS_MAX; l++)
        out->tx_kibps[l] = out->rx_kibps[l] = none;
}

int nvitop_device_nvlinks(nvitop_device_t *dev, nvitop_nvlinks_t *out, size_t out_size)
{
    if (!dev || !out || out_size < offsetof(nvitop_nvlinks_t, tx_kibps)) return NVITOP_EINVAL;
    size_t n = out_size < sizeof(*out) ? out_size : sizeof(*out);
    memcpy(out, &dev->nvlinks, n);
    out->size = n;
    return NVITOP_OK;
}
