/* SPDX-License-Identifier: Apache-2.0 */
/* Up to 36 NVLinks (CUDA 13.3's NVML_NVLINK_MAX_LINKS): on nvlink-36.json (GPU 0: 36 links,
 * link l at TX 100+l and RX 200+2l MiB/s; GPU 1: 18 links) every link is measured and reaches
 * nvitop_device_nvlinks(), the snapshot's nvlinks records and the JSON output, while the 1.x
 * arrays of nvitop_device_snapshot_t keep their 18 entries and the totals count every link. */
#include "testutil.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "render/json.h"

static nvitop_ctx_t *nvlink_ctx(void)
{
    char path[512];
    char *json =
        test_read_file(test_path(path, sizeof(path), "NVITOP_SCENARIOS", "nvlink-36.json"), NULL);
    nvitop_ctx_t *ctx = test_sim_ctx(json, NULL);
    free(json);
    return ctx;
}

static nvitop_device_t *device(nvitop_ctx_t *ctx, unsigned index)
{
    nvitop_device_t *dev = NULL;
    assert_int_equal(nvitop_device_get(ctx, index, &dev), 0);
    return dev;
}

/* The rate of link l as the scenario sets it, KiB/s, and a measured one within 5 % of it (the
 * 20 ms sample of counters in whole KiB). */
static int64_t scenario_rate(unsigned link, bool tx)
{
    return 1024 * (tx ? 100 + (int64_t)link : 200 + 2 * (int64_t)link);
}

static void assert_rate(nvitop_int_t got, unsigned link, bool tx)
{
    assert_true(NVITOP_HAS(got));
    int64_t want = scenario_rate(link, tx);
    if (got.value < want * 95 / 100 || got.value > want * 105 / 100)
        fail_msg("link %u %s: %lld KiB/s, the scenario says %lld", link, tx ? "tx" : "rx",
                 (long long)got.value, (long long)want);
}

static void assert_every_link(const nvitop_nvlinks_t *links, unsigned count)
{
    assert_int_equal(links->size, sizeof(*links));
    assert_true(NVITOP_HAS(links->count));
    assert_int_equal(links->count.value, count);
    for (unsigned l = 0; l < count; l++) {
        assert_rate(links->tx_kibps[l], l, true);
        assert_rate(links->rx_kibps[l], l, false);
    }
    for (unsigned l = count; l < NVITOP_NVLINK_LINKS_MAX; l++)
        assert_int_equal(links->tx_kibps[l].na, NVITOP_NA_NOT_APPLICABLE);
}

static void test_query_measures_all_36(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = nvlink_ctx();
    nvitop_device_t *dev = device(ctx, 0);
    nvitop_nvlinks_t links;
    assert_int_equal(nvitop_device_nvlinks(dev, &links, sizeof(links)), 0);
    assert_int_equal(links.count.na, NVITOP_NA_NOT_SAMPLED); /* before any NVLink query */

    nvitop_device_snapshot_t s;
    assert_int_equal(nvitop_device_query(dev, NVITOP_DQ_NVLINK, &s), 0);
    /* The 1.x snapshot: its arrays hold the first 18, and its count says so. */
    assert_int_equal(s.nvlink_count.value, NVITOP_NVLINK_MAX_LINKS);
    assert_rate(s.nvlink_tx_kibps[17], 17, true);
    /* The totals and means count all 36. */
    int64_t tx = 0;
    for (unsigned l = 0; l < 36; l++)
        tx += scenario_rate(l, true);
    assert_true(s.nvlink_total_tx_kibps.value > tx * 95 / 100);
    assert_true(s.nvlink_total_tx_kibps.value < tx * 105 / 100);
    assert_true(s.nvlink_mean_tx_kibps.value > tx / 36 * 95 / 100);

    assert_int_equal(nvitop_device_nvlinks(dev, &links, sizeof(links)), 0);
    assert_every_link(&links, 36);

    /* GPU 1 has 18. */
    assert_int_equal(nvitop_device_query(device(ctx, 1), NVITOP_DQ_NVLINK, &s), 0);
    assert_int_equal(nvitop_device_nvlinks(device(ctx, 1), &links, sizeof(links)), 0);
    assert_every_link(&links, 18);
}

/* An older caller's smaller record is filled as far as it goes; size says how far. */
static void test_smaller_record_and_bad_arguments(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = nvlink_ctx();
    nvitop_device_t *dev = device(ctx, 0);
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_NVLINK, &s);
    nvitop_nvlinks_t links;
    memset(&links, 0xAB, sizeof(links));
    size_t small = offsetof(nvitop_nvlinks_t, tx_kibps) + 4 * sizeof(nvitop_int_t);
    assert_int_equal(nvitop_device_nvlinks(dev, &links, small), 0);
    assert_int_equal(links.size, small);
    assert_int_equal(links.count.value, 36);
    assert_rate(links.tx_kibps[3], 3, true);
    assert_int_equal(((const unsigned char *)&links)[small], 0xAB); /* nothing past it */
    assert_int_equal(nvitop_device_nvlinks(dev, &links, offsetof(nvitop_nvlinks_t, tx_kibps) - 1),
                     NVITOP_EINVAL);
    assert_int_equal(nvitop_device_nvlinks(NULL, &links, sizeof(links)), NVITOP_EINVAL);
    assert_int_equal(nvitop_device_nvlinks(dev, NULL, sizeof(links)), NVITOP_EINVAL);
}

/* The JSON output lists every link; nvlink_count there is the device's. */
static void assert_json_links(const json_t *device, unsigned count)
{
    assert_int_equal(json_integer_value(json_object_get(device, "nvlink_count")), count);
    const json_t *tx = json_object_get(device, "nvlink_tx_kibps");
    const json_t *rx = json_object_get(device, "nvlink_rx_kibps");
    assert_int_equal(json_array_size(tx), count);
    assert_int_equal(json_array_size(rx), count);
    for (unsigned l = 0; l < count; l++) {
        assert_rate((nvitop_int_t){json_integer_value(json_array_get(tx, l)), 0}, l, true);
        assert_rate((nvitop_int_t){json_integer_value(json_array_get(rx, l)), 0}, l, false);
    }
}

static void test_snapshot_and_json_hold_every_link(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = nvlink_ctx();
    nvitop_snapshot_request_t req = {.device_query = NVITOP_DQ_NAME | NVITOP_DQ_NVLINK};
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_int_equal(s->device_count, 2);
    assert_non_null(s->nvlinks);
    assert_every_link(&s->nvlinks[0], 36);
    assert_every_link(&s->nvlinks[1], 18);
    strbuf_t out = {0};
    assert_int_equal(render_json(s, NULL, 0, &out), 0);
    json_error_t error;
    json_t *doc = json_loads(out.data, 0, &error);
    if (!doc) fail_msg("not JSON: %s", error.text);
    const json_t *devices = json_object_get(doc, "devices");
    assert_json_links(json_array_get(devices, 0), 36);
    assert_json_links(json_array_get(devices, 1), 18);
    json_decref(doc);
    strbuf_fini(&out);
    nvitop_snapshot_free(s);

    /* Not asked: the records say "not sampled". */
    req.device_query = NVITOP_DQ_NAME;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_int_equal(s->nvlinks[0].count.na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(s->nvlinks[0].size, sizeof(nvitop_nvlinks_t));
    nvitop_snapshot_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_measures_all_36),
        cmocka_unit_test(test_smaller_record_and_bad_arguments),
        cmocka_unit_test(test_snapshot_and_json_hold_every_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
