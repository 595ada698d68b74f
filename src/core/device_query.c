/* SPDX-License-Identifier: Apache-2.0 */
/* Answers nvitop_device_query(): one handler per NVITOP_DQ_* group, each NVML question asked
 * through the device's memo (a "not supported" is never asked twice) and static facts served
 * from the device's cache after the first definitive answer. */
#include "core/core_internal.h"

#include <math.h>
#include <string.h>

nvitop_na_t device_memo_check(const nvitop_device_t *dev, nvml_fn_t fn, unsigned arg)
{
    if (!dev->handle) return dev->handle_na;
    uint8_t m = dev->memo[fn][arg < MEMO_ARGS ? arg : MEMO_ARGS - 1];
    return m ? (nvitop_na_t)(m - 1) : NVITOP_NA_NONE;
}

static bool is_permanent(nvmlReturn_t rc)
{
    return rc == NVML_ERROR_NOT_SUPPORTED || rc == NVML_ERROR_FUNCTION_NOT_FOUND ||
           rc == NVML_ERROR_INVALID_ARGUMENT || rc == NVML_ERROR_NO_PERMISSION;
}

/* What an answer means, remembering nothing but a lost GPU: for answers that may change. */
static nvitop_na_t device_answer(nvitop_device_t *dev, nvmlReturn_t rc)
{
    /* A lost GPU needs a reset and a new nvmlInit to come back: stop asking it anything. */
    if (rc == NVML_ERROR_GPU_IS_LOST) {
        dev->handle = NULL;
        dev->handle_na = NVITOP_NA_GPU_LOST;
    }
    return nvml_na_from_return(rc);
}

nvitop_na_t device_memo_record(nvitop_device_t *dev, nvml_fn_t fn, unsigned arg, nvmlReturn_t rc)
{
    nvitop_na_t na = device_answer(dev, rc);
    if (is_permanent(rc)) dev->memo[fn][arg < MEMO_ARGS ? arg : MEMO_ARGS - 1] = (uint8_t)(na + 1);
    return na;
}

static const nvml_lib_t *lib_of(const nvitop_device_t *dev)
{
    return &dev->ctx->nvml;
}

static nvitop_int_t ask_uint(nvitop_device_t *dev, nvml_fn_t fn)
{
    nvitop_na_t na = device_memo_check(dev, fn, 0);
    unsigned v = 0;
    if (!na)
        na = device_memo_record(dev, fn, 0, nvml_device_uint(lib_of(dev), fn, dev->handle, &v));
    return na ? na_int(na) : some_int(v);
}

static nvitop_int_t ask_ull(nvitop_device_t *dev, nvml_fn_t fn)
{
    nvitop_na_t na = device_memo_check(dev, fn, 0);
    unsigned long long v = 0;
    if (!na) na = device_memo_record(dev, fn, 0, nvml_device_ull(lib_of(dev), fn, dev->handle, &v));
    if (!na && v > INT64_MAX) na = NVITOP_NA_UNAVAILABLE;
    return na ? na_int(na) : some_int((int64_t)v);
}

static nvitop_int_t ask_uint_arg(nvitop_device_t *dev, nvml_fn_t fn, unsigned arg)
{
    nvitop_na_t na = device_memo_check(dev, fn, arg);
    unsigned v = 0;
    if (!na)
        na = device_memo_record(dev, fn, arg,
                                nvml_device_uint_arg(lib_of(dev), fn, dev->handle, arg, &v));
    return na ? na_int(na) : some_int(v);
}

/* (current, pending) or (value, period): the first of the pair. */
static nvitop_na_t ask_pair(nvitop_device_t *dev, nvml_fn_t fn, int *first, int *second)
{
    nvitop_na_t na = device_memo_check(dev, fn, 0);
    if (!na)
        na = device_memo_record(dev, fn, 0,
                                nvml_device_pair(lib_of(dev), fn, dev->handle, first, second));
    return na;
}

static nvitop_int_t pair_first(nvitop_device_t *dev, nvml_fn_t fn)
{
    int first = 0, second = 0;
    nvitop_na_t na = ask_pair(dev, fn, &first, &second);
    return na ? na_int(na) : some_int(first);
}

static nvitop_str_t ask_string(nvitop_device_t *dev, nvml_fn_t fn, char *buf, unsigned len)
{
    nvitop_na_t na = device_memo_check(dev, fn, 0);
    if (!na)
        na = device_memo_record(dev, fn, 0,
                                nvml_device_string(lib_of(dev), fn, dev->handle, buf, len));
    return na ? na_str(na) : some_str(buf);
}

nvitop_real_t percent_1dp(nvitop_int_t part, nvitop_int_t whole)
{
    if (!NVITOP_HAS(part)) return na_real(part.na);
    if (!NVITOP_HAS(whole)) return na_real(whole.na);
    if (whole.value <= 0) return na_real(NVITOP_NA_UNAVAILABLE);
    return some_real(round_digits(100.0 * (double)part.value / (double)whole.value, 1));
}

static nvitop_int_t not_applicable(void)
{
    return na_int(NVITOP_NA_NOT_APPLICABLE);
}

/* ---- group handlers ---- */

static void q_name(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->name = ask_string(d, NVML_FN_NAME, d->name, sizeof(d->name));
}

static void q_uuid(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->uuid = ask_string(d, NVML_FN_UUID, d->uuid, sizeof(d->uuid));
}

static void q_serial(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->serial = ask_string(d, NVML_FN_SERIAL, d->serial, sizeof(d->serial));
}

static void q_bus_id(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    if (d->is_mig) {
        nvitop_device_snapshot_t parent;
        nvitop_device_query(d->parent, NVITOP_DQ_BUS_ID, &parent);
        o->bus_id = parent.bus_id;
        return;
    }
    nvitop_na_t na = device_memo_check(d, NVML_FN_PCI_INFO, 0);
    if (!na)
        na = device_memo_record(
            d, NVML_FN_PCI_INFO, 0,
            nvml_device_pci_bus_id(lib_of(d), d->handle, d->bus_id, sizeof(d->bus_id)));
    o->bus_id = na ? na_str(na) : some_str(d->bus_id);
}

static void q_board(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->minor_number = ask_uint(d, NVML_FN_MINOR_NUMBER);
    o->brand = ask_uint(d, NVML_FN_BRAND);
    o->architecture = ask_uint(d, NVML_FN_ARCHITECTURE);
}

/* Whether NVML says the device's memory is the host's: it addresses system memory through the
 * CPU's own page tables (ATS: GB10, Grace and Tegra integrated GPUs). Only such a device may
 * show the host's memory as its own; once known, it is kept (a fact of the hardware). A driver
 * without the call is remembered by the device's memo; another "no" or a passing error is
 * asked again: the driver may answer later. */
static bool shares_host_memory(nvitop_device_t *d)
{
    unsigned mode = NVML_DEVICE_ADDRESSING_MODE_NONE;
    if (!d->shares_host_memory && d->handle && !device_memo_check(d, NVML_FN_ADDRESSING_MODE, 0) &&
        device_memo_record(d, NVML_FN_ADDRESSING_MODE, 0,
                           nvml_device_addressing_mode(lib_of(d), d->handle, &mode)) == 0)
        d->shares_host_memory = mode == NVML_DEVICE_ADDRESSING_MODE_ATS;
    return d->shares_host_memory;
}

static void q_memory(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    nvml_memory_t m = {0};
    nvmlReturn_t rc = NVML_SUCCESS;
    nvitop_na_t na = device_memo_check(d, NVML_FN_MEMORY_INFO, 0);
    if (!na) na = device_answer(d, rc = nvml_device_memory(lib_of(d), d->handle, &m));
    /* As nvitop: a device without memory of its own (NOT_SUPPORTED, or a total of 0) reports
     * the host's, but only when NVML says it shares the host's (nvitop takes the host's for
     * any such answer, so a discrete GPU's passing error showed the host's RAM as its own). */
    bool unified = d->handle && (na == NVITOP_NA_NOT_SUPPORTED || (!na && m.total == 0)) &&
                   shares_host_memory(d);
    /* "Not supported" is remembered only where it is the hardware's answer; on a discrete GPU
     * it is a passing state of the driver: N/A now, asked again next time. */
    if (rc != NVML_ERROR_NOT_SUPPORTED || unified)
        device_memo_record(d, NVML_FN_MEMORY_INFO, 0, rc);
    if (unified) {
        host_meminfo_t mi;
        const char *data;
        size_t len;
        if (host_read(&d->ctx->host, "meminfo", &data, &len) == 0 &&
            host_parse_meminfo(data, len, &mi) == 0 && mi.total > 0) {
            host_memory_figures_t f;
            host_memory_figures(&mi, &f);
            m = (nvml_memory_t){f.total, f.used, f.free, 0, false};
            na = NVITOP_NA_NONE;
            o->memory_is_host = true;
        }
    }
    if (na) {
        o->memory_total_bytes = o->memory_used_bytes = o->memory_free_bytes = na_int(na);
        o->memory_reserved_bytes = na_int(na);
        o->memory_percent = na_real(na);
        return;
    }
    o->memory_total_bytes = some_int((int64_t)m.total);
    o->memory_used_bytes = some_int((int64_t)m.used);
    o->memory_free_bytes = some_int((int64_t)m.free);
    o->memory_reserved_bytes =
        m.has_reserved ? some_int((int64_t)m.reserved) : na_int(NVITOP_NA_NOT_SUPPORTED);
    o->memory_percent = percent_1dp(o->memory_used_bytes, o->memory_total_bytes);
}

static void q_bar1(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    nvmlBAR1Memory_t b;
    memset(&b, 0, sizeof(b));
    nvitop_na_t na = device_memo_check(d, NVML_FN_BAR1_MEMORY_INFO, 0);
    if (!na)
        na = device_memo_record(d, NVML_FN_BAR1_MEMORY_INFO, 0,
                                nvml_device_bar1(lib_of(d), d->handle, &b));
    o->bar1_total_bytes = na ? na_int(na) : some_int((int64_t)b.bar1Total);
    o->bar1_used_bytes = na ? na_int(na) : some_int((int64_t)b.bar1Used);
    o->bar1_free_bytes = na ? na_int(na) : some_int((int64_t)b.bar1Free);
    o->bar1_percent = percent_1dp(o->bar1_used_bytes, o->bar1_total_bytes);
}

static void q_utilization(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    nvmlUtilization_t u = {0, 0};
    nvitop_na_t na = device_memo_check(d, NVML_FN_UTILIZATION_RATES, 0);
    if (!na)
        na = device_memo_record(d, NVML_FN_UTILIZATION_RATES, 0,
                                nvml_device_utilization(lib_of(d), d->handle, &u));
    o->gpu_utilization_percent = na ? na_int(na) : some_int(u.gpu);
    o->memory_utilization_percent = na ? na_int(na) : some_int(u.memory);
}

static void q_encoder(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->encoder_utilization_percent = pair_first(d, NVML_FN_ENCODER_UTILIZATION);
}

static void q_decoder(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->decoder_utilization_percent = pair_first(d, NVML_FN_DECODER_UTILIZATION);
}

static void q_clock_graphics(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->clock_graphics_mhz = ask_uint_arg(d, NVML_FN_CLOCK_INFO, NVML_CLOCK_GRAPHICS);
}

static void q_clock_sm(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->clock_sm_mhz = ask_uint_arg(d, NVML_FN_CLOCK_INFO, NVML_CLOCK_SM);
}

static void q_clock_memory(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->clock_memory_mhz = ask_uint_arg(d, NVML_FN_CLOCK_INFO, NVML_CLOCK_MEM);
}

static void q_clock_video(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->clock_video_mhz = ask_uint_arg(d, NVML_FN_CLOCK_INFO, NVML_CLOCK_VIDEO);
}

static void q_max_clocks(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->max_clock_graphics_mhz = ask_uint_arg(d, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_GRAPHICS);
    o->max_clock_sm_mhz = ask_uint_arg(d, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_SM);
    o->max_clock_memory_mhz = ask_uint_arg(d, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_MEM);
    o->max_clock_video_mhz = ask_uint_arg(d, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_VIDEO);
}

static void q_fan(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->fan_speed_percent = ask_uint(d, NVML_FN_FAN_SPEED);
}

static void q_temperature(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    nvitop_na_t na = device_memo_check(d, NVML_FN_TEMPERATURE, 0);
    int celsius = 0;
    if (!na)
        na = device_memo_record(d, NVML_FN_TEMPERATURE, 0,
                                nvml_device_temperature(lib_of(d), d->handle, &celsius));
    o->temperature_c = na ? na_int(na) : some_int(celsius);
}

static void q_temperature_limits(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->temperature_slowdown_c =
        ask_uint_arg(d, NVML_FN_TEMPERATURE_THRESHOLD, NVML_TEMPERATURE_THRESHOLD_SLOWDOWN);
    o->temperature_shutdown_c =
        ask_uint_arg(d, NVML_FN_TEMPERATURE_THRESHOLD, NVML_TEMPERATURE_THRESHOLD_SHUTDOWN);
}

static void q_power_usage(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->power_usage_mw = ask_uint(d, NVML_FN_POWER_USAGE);
}

static void q_power_limit(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->power_limit_mw = ask_uint(d, NVML_FN_POWER_MANAGEMENT_LIMIT);
}

static void q_energy(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->energy_consumption_mj = ask_ull(d, NVML_FN_TOTAL_ENERGY);
}

static void q_pstate(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->performance_state = ask_uint(d, NVML_FN_PERFORMANCE_STATE);
    if (NVITOP_HAS(o->performance_state) && o->performance_state.value > 15)
        o->performance_state = na_int(NVITOP_NA_UNAVAILABLE); /* NVML_PSTATE_UNKNOWN */
}

static void q_persistence(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->persistence_mode = ask_uint(d, NVML_FN_PERSISTENCE_MODE);
}

static void q_display_mode(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->display_mode = ask_uint(d, NVML_FN_DISPLAY_MODE);
}

static void q_display_active(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->display_active = ask_uint(d, NVML_FN_DISPLAY_ACTIVE);
}

static void q_compute_mode(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->compute_mode = ask_uint(d, NVML_FN_COMPUTE_MODE);
}

static void q_driver_model(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->driver_model = pair_first(d, NVML_FN_DRIVER_MODEL);
}

static nvitop_int_t ask_ecc(nvitop_device_t *d, nvmlEccCounterType_t counter)
{
    nvitop_na_t na = device_memo_check(d, NVML_FN_TOTAL_ECC_ERRORS, counter);
    unsigned long long v = 0;
    if (!na)
        na = device_memo_record(d, NVML_FN_TOTAL_ECC_ERRORS, counter,
                                nvml_device_total_ecc_errors(lib_of(d), d->handle, counter, &v));
    return na ? na_int(na) : some_int((int64_t)(v > INT64_MAX ? INT64_MAX : v));
}

static void q_ecc_mode(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->ecc_mode = pair_first(d, NVML_FN_ECC_MODE);
}

static void q_ecc_errors(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->ecc_errors_volatile_uncorrected = ask_ecc(d, NVML_VOLATILE_ECC);
}

static void q_ecc_aggregate(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->ecc_errors_aggregate_uncorrected = ask_ecc(d, NVML_AGGREGATE_ECC);
}

static void q_cuda_capability(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    int major = 0, minor = 0;
    nvitop_na_t na = ask_pair(d, NVML_FN_CUDA_COMPUTE_CAPABILITY, &major, &minor);
    o->cuda_capability_major = na ? na_int(na) : some_int(major);
    o->cuda_capability_minor = na ? na_int(na) : some_int(minor);
}

static void q_mig(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    if (d->is_mig) {
        o->mig_mode = o->max_mig_device_count = not_applicable();
        o->gpu_instance_id = ask_uint(d, NVML_FN_GPU_INSTANCE_ID);
        o->compute_instance_id = ask_uint(d, NVML_FN_COMPUTE_INSTANCE_ID);
        return;
    }
    o->gpu_instance_id = o->compute_instance_id = not_applicable();
    o->mig_mode = pair_first(d, NVML_FN_MIG_MODE);
    o->max_mig_device_count = NVITOP_HAS(o->mig_mode) ? ask_uint(d, NVML_FN_MAX_MIG_DEVICE_COUNT)
                                                      : na_int(o->mig_mode.na);
}

static void q_pcie_link(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->pcie_link_gen_max = ask_uint(d, NVML_FN_MAX_PCIE_LINK_GENERATION);
    o->pcie_link_width_max = ask_uint(d, NVML_FN_MAX_PCIE_LINK_WIDTH);
    o->pcie_link_gen = ask_uint(d, NVML_FN_CURR_PCIE_LINK_GENERATION);
    o->pcie_link_width = ask_uint(d, NVML_FN_CURR_PCIE_LINK_WIDTH);
}

static void q_throttle(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->clocks_throttle_reasons = ask_ull(d, NVML_FN_THROTTLE_REASONS);
}

/* Each direction is its own 20 ms driver call: NVITOP_DQ_PCIE_THROUGHPUT asks both, the
 * per-direction bits one. */
static void q_pcie_tx(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->pcie_tx_kibps = ask_uint_arg(d, NVML_FN_PCIE_THROUGHPUT, NVML_PCIE_UTIL_TX_BYTES);
}

static void q_pcie_rx(nvitop_device_t *d, nvitop_device_snapshot_t *o)
{
    o->pcie_rx_kibps = ask_uint_arg(d, NVML_FN_PCIE_THROUGHPUT, NVML_PCIE_UTIL_RX_BYTES);
}

nvitop_int_t device_pcie_answer(nvitop_device_t *dev, unsigned counter, nvmlReturn_t rc,
                                unsigned kibps)
{
    nvitop_na_t na = device_memo_record(dev, NVML_FN_PCIE_THROUGHPUT, counter, rc);
    return na ? na_int(na) : some_int(kibps);
}

typedef void (*group_fn)(nvitop_device_t *dev, nvitop_device_snapshot_t *out);

static const struct group {
    uint64_t bit;
    bool is_static; /* read once, then served from the device's cache */
    group_fn fn;
} groups[] = {
    {NVITOP_DQ_NAME, true, q_name},
    {NVITOP_DQ_UUID, true, q_uuid},
    {NVITOP_DQ_BUS_ID, true, q_bus_id},
    {NVITOP_DQ_SERIAL, true, q_serial},
    {NVITOP_DQ_BOARD, true, q_board},
    {NVITOP_DQ_MEMORY, false, q_memory},
    {NVITOP_DQ_BAR1, false, q_bar1},
    {NVITOP_DQ_UTILIZATION, false, q_utilization},
    {NVITOP_DQ_ENCODER, false, q_encoder},
    {NVITOP_DQ_DECODER, false, q_decoder},
    {NVITOP_DQ_CLOCK_GRAPHICS, false, q_clock_graphics},
    {NVITOP_DQ_CLOCK_SM, false, q_clock_sm},
    {NVITOP_DQ_CLOCK_MEMORY, false, q_clock_memory},
    {NVITOP_DQ_CLOCK_VIDEO, false, q_clock_video},
    {NVITOP_DQ_MAX_CLOCKS, true, q_max_clocks},
    {NVITOP_DQ_FAN, false, q_fan},
    {NVITOP_DQ_TEMPERATURE, false, q_temperature},
    {NVITOP_DQ_TEMPERATURE_LIMITS, true, q_temperature_limits},
    {NVITOP_DQ_POWER_USAGE, false, q_power_usage},
    {NVITOP_DQ_POWER_LIMIT, false, q_power_limit},
    {NVITOP_DQ_ENERGY, false, q_energy},
    {NVITOP_DQ_PSTATE, false, q_pstate},
    {NVITOP_DQ_PERSISTENCE, false, q_persistence},
    {NVITOP_DQ_DISPLAY_MODE, false, q_display_mode},
    {NVITOP_DQ_DISPLAY_ACTIVE, false, q_display_active},
    {NVITOP_DQ_COMPUTE_MODE, false, q_compute_mode},
    {NVITOP_DQ_DRIVER_MODEL, false, q_driver_model},
    {NVITOP_DQ_ECC_ERRORS, false, q_ecc_errors},
    {NVITOP_DQ_ECC_MODE, false, q_ecc_mode},
    {NVITOP_DQ_ECC_AGGREGATE, false, q_ecc_aggregate},
    {NVITOP_DQ_CUDA_CAPABILITY, true, q_cuda_capability},
    {NVITOP_DQ_MIG, true, q_mig}, /* changes need a GPU reset */
    {NVITOP_DQ_PCIE_LINK, false, q_pcie_link},
    {NVITOP_DQ_THROTTLE, false, q_throttle},
    {NVITOP_DQ_PCIE_TX, false, q_pcie_tx},
    {NVITOP_DQ_PCIE_RX, false, q_pcie_rx},
    {NVITOP_DQ_NVLINK, false, device_query_nvlink},
};

static size_t value_size(nvitop_value_type_t type)
{
    return type == NVITOP_VALUE_INT    ? sizeof(nvitop_int_t)
           : type == NVITOP_VALUE_REAL ? sizeof(nvitop_real_t)
                                       : sizeof(nvitop_str_t);
}

static nvitop_na_t field_na(const nvitop_device_snapshot_t *s, const nvitop_field_info_t *f)
{
    const char *p = (const char *)s + f->offset;
    switch (f->type) {
    case NVITOP_VALUE_INT:
        return ((const nvitop_int_t *)(const void *)p)->na;
    case NVITOP_VALUE_REAL:
        return ((const nvitop_real_t *)(const void *)p)->na;
    default:
        return ((const nvitop_str_t *)(const void *)p)->na;
    }
}

/* Copies the fields of one group between snapshots; with `only_definitive`, refuses (returns
 * false) when any of them failed for a reason that may pass (a lost GPU, a timeout). */
static bool copy_group(nvitop_device_snapshot_t *dst, const nvitop_device_snapshot_t *src,
                       uint64_t bit, bool only_definitive)
{
    size_t count;
    const nvitop_field_info_t *fields = nvitop_device_fields(&count);
    for (size_t i = 0; only_definitive && i < count; i++) {
        if (fields[i].query != bit) continue;
        nvitop_na_t na = field_na(src, &fields[i]);
        if (na != NVITOP_NA_NONE && na != NVITOP_NA_NOT_SUPPORTED && na != NVITOP_NA_NO_FUNCTION &&
            na != NVITOP_NA_NOT_APPLICABLE && na != NVITOP_NA_NO_PERMISSION)
            return false;
    }
    for (size_t i = 0; i < count; i++)
        if (fields[i].query == bit)
            memcpy((char *)dst + fields[i].offset, (const char *)src + fields[i].offset,
                   value_size(fields[i].type));
    return true;
}

static nvitop_real_t power_percent(nvitop_int_t usage, nvitop_int_t limit)
{
    if (!NVITOP_HAS(usage)) return na_real(usage.na);
    if (!NVITOP_HAS(limit)) return na_real(limit.na);
    if (limit.value <= 0) return na_real(NVITOP_NA_UNAVAILABLE);
    return some_real(100.0 * (double)usage.value / (double)limit.value);
}

void device_snapshot_set_identity(const nvitop_device_t *dev, nvitop_device_snapshot_t *out)
{
    out->physical_index = (int32_t)dev->physical_index;
    out->mig_index = dev->mig_index;
    out->is_mig = dev->is_mig;
}

int nvitop_device_query(nvitop_device_t *dev, uint64_t what, nvitop_device_snapshot_t *out)
{
    if (!dev || !out) return NVITOP_EINVAL;
    /* Both PCIe directions (20 ms each): asked at once by two threads (device_batch.c). */
    const uint64_t both = NVITOP_DQ_PCIE_TX | NVITOP_DQ_PCIE_RX;
    if (dev->ctx->initialized && ((what & NVITOP_DQ_PCIE_THROUGHPUT) || (what & both) == both))
        return nvitop_devices_query(&dev, 1, what, out);
    return device_query_serial(dev, what, out);
}

int device_query_serial(nvitop_device_t *dev, uint64_t what, nvitop_device_snapshot_t *out)
{
    nvitop_device_snapshot_clear(out);
    device_snapshot_set_identity(dev, out);
    if (!dev->ctx->initialized) return NVITOP_ENOTINIT;
    if (what & NVITOP_DQ_PCIE_THROUGHPUT) what |= NVITOP_DQ_PCIE_TX | NVITOP_DQ_PCIE_RX;
    for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
        const struct group *grp = &groups[g];
        if (!(what & grp->bit)) continue;
        if (grp->is_static && (dev->cached & grp->bit)) {
            copy_group(out, &dev->statics, grp->bit, false);
            continue;
        }
        grp->fn(dev, out);
        if (grp->is_static && copy_group(&dev->statics, out, grp->bit, true))
            dev->cached |= grp->bit;
    }
    if (what & (NVITOP_DQ_POWER_USAGE | NVITOP_DQ_POWER_LIMIT))
        out->power_percent = power_percent(out->power_usage_mw, out->power_limit_mw);
    return NVITOP_OK;
}

void nvitop_device_snapshot_clear(nvitop_device_snapshot_t *out)
{
    if (!out) return;
    memset(out, 0, sizeof(*out));
    out->physical_index = -1;
    out->mig_index = -1;
    out->cuda_index = -1;
    size_t count;
    const nvitop_field_info_t *fields = nvitop_device_fields(&count);
    for (size_t i = 0; i < count; i++) {
        char *p = (char *)out + fields[i].offset;
        switch (fields[i].type) {
        case NVITOP_VALUE_INT:
            ((nvitop_int_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
            break;
        case NVITOP_VALUE_REAL:
            ((nvitop_real_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
            break;
        default:
            ((nvitop_str_t *)(void *)p)->na = NVITOP_NA_NOT_SAMPLED;
            break;
        }
    }
    for (int l = 0; l < NVITOP_NVLINK_MAX_LINKS; l++)
        out->nvlink_tx_kibps[l] = out->nvlink_rx_kibps[l] = na_int(NVITOP_NA_NOT_SAMPLED);
}

void device_snapshot_carry(nvitop_device_snapshot_t *dst, const nvitop_device_snapshot_t *src,
                           uint64_t which)
{
    size_t count;
    const nvitop_field_info_t *fields = nvitop_device_fields(&count);
    for (size_t i = 0; i < count; i++)
        if ((fields[i].query & which) && fields[i].type != NVITOP_VALUE_STR)
            memcpy((char *)dst + fields[i].offset, (const char *)src + fields[i].offset,
                   value_size(fields[i].type));
    if (which & NVITOP_DQ_POWER_LIMIT)
        dst->power_percent = power_percent(dst->power_usage_mw, dst->power_limit_mw);
}
