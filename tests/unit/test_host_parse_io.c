/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the I/O table parsers (src/host/parse_io.c): /proc/net/dev, /proc/diskstats,
 * /proc/self/mounts and /proc/filesystems. */
#include "testutil.h"

#include "host/host_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *fixture(const char *rel, size_t *len)
{
    char path[4096];
    return test_read_file(test_path(path, sizeof(path), "NVITOP_FIXTURES", rel), len);
}

#define NET_HEADER "Inter-| Receive | Transmit\n face |bytes packets|bytes packets\n"

static void test_net_dev_basic(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *buf = fixture("proc/basic/net/dev", &len);
    host_net_dev_t *devs = NULL;
    assert_int_equal(host_parse_net_dev(buf, len, &devs, &n), 0);
    free(buf);
    assert_int_equal(n, 4);
    assert_string_equal(devs[0].name, "lo");
    assert_int_equal(devs[0].rx_bytes, 851760);
    assert_int_equal(devs[0].rx_packets, 960);
    assert_int_equal(devs[0].tx_bytes, 851760);
    assert_int_equal(devs[0].tx_packets, 960);
    assert_string_equal(devs[1].name, "ifb0");
    assert_string_equal(devs[2].name, "ifb1");
    assert_string_equal(devs[3].name, "eth0");
    assert_int_equal(devs[3].rx_bytes, 625);
    assert_int_equal(devs[3].rx_packets, 10);
    assert_int_equal(devs[3].tx_bytes, 1473);
    assert_int_equal(devs[3].tx_packets, 18);
    free(devs);
    buf = fixture("proc/captured/net/dev", &len);
    assert_int_equal(host_parse_net_dev(buf, len, &devs, &n), 0);
    free(buf);
    assert_true(n >= 1);
    free(devs);
}

static void test_net_dev_edges(void **state)
{
    (void)state;
    host_net_dev_t *devs = NULL;
    size_t n = 99;
    /* Header only: no interfaces. */
    assert_int_equal(host_parse_net_dev(NET_HEADER, strlen(NET_HEADER), &devs, &n), 0);
    assert_int_equal(n, 0);
    free(devs);
    /* psutil splits at the last ':'; 31 bytes is the longest name that fits. */
    const char *ok = NET_HEADER "a:b:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
                                "abcdefghijklmnopqrstuvwxyz01234:0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                                "\n";
    assert_int_equal(host_parse_net_dev(ok, strlen(ok), &devs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(devs[0].name, "a:b");
    assert_int_equal(devs[0].rx_bytes, 1);
    assert_int_equal(devs[0].rx_packets, 2);
    assert_int_equal(devs[0].tx_bytes, 9);
    assert_int_equal(devs[0].tx_packets, 10);
    free(devs);
    static const char *const bad[] = {
        "",
        "Inter-| Receive\n",
        NET_HEADER "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",     /* no colon */
        NET_HEADER "  : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",      /* no name */
        NET_HEADER "a b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",     /* blank in name */
        NET_HEADER "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n",       /* 15 counters */
        NET_HEADER "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", /* 17 counters */
        NET_HEADER "eth0: 1 2 3 4 5 6 7 8 x 10 11 12 13 14 15 16\n",
        NET_HEADER "abcdefghijklmnopqrstuvwxyz012345:0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
        NET_HEADER "eth0: 18446744073709551616 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        devs = NULL;
        if (host_parse_net_dev(bad[i], strlen(bad[i]), &devs, &n) != -1)
            fail_msg("accepted bad net/dev #%zu", i);
        assert_null(devs);
    }
}

static void test_diskstats_basic(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *buf = fixture("proc/basic/diskstats", &len);
    host_disk_stat_t *d = NULL;
    assert_int_equal(host_parse_diskstats(buf, len, &d, &n), 0);
    free(buf);
    assert_int_equal(n, 11);
    assert_string_equal(d[0].name, "loop0");
    assert_string_equal(d[8].name, "vda");
    assert_int_equal(d[8].reads, 21043);
    assert_int_equal(d[8].read_sectors, 3271152);
    assert_int_equal(d[8].writes, 1538);
    assert_int_equal(d[8].write_sectors, 14184);
    assert_string_equal(d[9].name, "vdb");
    assert_int_equal(d[9].read_sectors, 249904);
    assert_string_equal(d[10].name, "zram0");
    free(d);
}

static void test_diskstats_layouts(void **state)
{
    (void)state;
    size_t len, n;
    char *buf = fixture("proc/old-kernel/diskstats", &len);
    host_disk_stat_t *d = NULL;
    assert_int_equal(host_parse_diskstats(buf, len, &d, &n), 0);
    free(buf);
    assert_int_equal(n, 2);
    /* 14 fields (2.6 disk) */
    assert_string_equal(d[0].name, "sda");
    assert_true(d[0].reads == 5000 && d[0].read_sectors == 80000 && d[0].writes == 3000 &&
                d[0].write_sectors == 48000);
    /* 7 fields (2.6 partition) */
    assert_string_equal(d[1].name, "sda1");
    assert_true(d[1].reads == 4900 && d[1].read_sectors == 78000 && d[1].writes == 2900 &&
                d[1].write_sectors == 46000);
    free(d);
    /* 18 and 20 fields, and a future 25. An empty file is no disks. */
    const char *wide = "8 0 a 1 0 2 0 3 0 4 0 0 0 0 0 0 0 0\n"
                       "8 0 b 1 0 2 0 3 0 4 0 0 0 0 0 0 0 0 0 0\n"
                       "8 0 c 1 0 2 0 3 0 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    assert_int_equal(host_parse_diskstats(wide, strlen(wide), &d, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(d[i].reads == 1 && d[i].read_sectors == 2 && d[i].writes == 3 &&
                    d[i].write_sectors == 4);
    free(d);
    d = (host_disk_stat_t *)&n;
    assert_int_equal(host_parse_diskstats("", 0, &d, &n), 0);
    assert_int_equal(n, 0);
    assert_null(d);
}

static void test_diskstats_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "8 0 sda 1 2 3\n",                            /* 6 fields */
        "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12\n",       /* 15 fields (Linux 2.4) */
        "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n", /* 17 */
        "8 0 sda 1 2 3 x\n",
        "8 0 sda 1 2 3 -4\n",
        "8 0 sda 1 2 3 18446744073709551616\n",
        "x 0 sda 1 2 3 4\n",
        "8 0 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl 1 2 3 4\n",
    };
    host_disk_stat_t *d;
    size_t n;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        d = NULL;
        if (host_parse_diskstats(bad[i], strlen(bad[i]), &d, &n) != -1)
            fail_msg("accepted bad diskstats #%zu", i);
        assert_null(d);
    }
    size_t len;
    char *buf = fixture("proc/broken/diskstats", &len);
    assert_int_equal(host_parse_diskstats(buf, len, &d, &n), -1);
    free(buf);
}

static void test_mounts(void **state)
{
    (void)state;
    size_t len, n = 0;
    char *buf = fixture("proc/basic/self/mounts", &len);
    host_mount_t *m = NULL;
    assert_int_equal(host_parse_mounts(buf, len, &m, &n), 0);
    free(buf);
    assert_int_equal(n, 8);
    assert_string_equal(m[0].device, "/dev/vda");
    assert_string_equal(m[0].mountpoint, "/");
    assert_string_equal(m[0].fstype, "ext4");
    assert_string_equal(m[7].device, "/dev/vdb");
    assert_string_equal(m[7].mountpoint, "/usr/local/nvidia");
    assert_string_equal(m[7].fstype, "erofs");
    host_mounts_free(m, n);

    const char *esc = "/dev/sda1 /mnt/my\\040disk ext4 rw 0 0\n"
                      "\n"
                      "tab\\011dev /a\\134b\\012c xfs\n"
                      "x /literal\\\\ btrfs rw 0 0\n"
                      "y /bad\\08 ext4\n"
                      "z /nul\\000x /cut\\04\n";
    assert_int_equal(host_parse_mounts(esc, strlen(esc), &m, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(m[0].mountpoint, "/mnt/my disk");
    assert_string_equal(m[1].device, "tab\tdev");
    assert_string_equal(m[1].mountpoint, "/a\\b\nc");
    assert_string_equal(m[2].mountpoint, "/literal\\\\");
    assert_string_equal(m[3].mountpoint, "/bad\\08");
    assert_string_equal(m[4].mountpoint, "/nul\\000x");
    assert_string_equal(m[4].fstype, "/cut\\04");
    host_mounts_free(m, n);

    static const char *const bad[] = {"/dev/sda1 /mnt\n", "only\n", "a b\0c d\n"};
    static const size_t bad_len[] = {15, 5, 8};
    for (size_t i = 0; i < 3; i++) {
        m = NULL;
        if (host_parse_mounts(bad[i], bad_len[i], &m, &n) != -1)
            fail_msg("accepted bad mounts #%zu", i);
        assert_null(m);
    }
    assert_int_equal(host_parse_mounts("", 0, &m, &n), 0);
    assert_int_equal(n, 0);
    host_mounts_free(m, n);
    host_mounts_free(NULL, 0);
}

static void test_filesystems(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/basic/filesystems", &len);
    assert_true(host_fs_is_physical(buf, len, "ext4"));
    assert_true(host_fs_is_physical(buf, len, "xfs"));
    assert_true(host_fs_is_physical(buf, len, "erofs"));
    assert_false(host_fs_is_physical(buf, len, "tmpfs"));
    assert_false(host_fs_is_physical(buf, len, "proc"));
    assert_false(host_fs_is_physical(buf, len, "overlay"));
    assert_false(host_fs_is_physical(buf, len, "ext"));   /* no prefix match */
    assert_false(host_fs_is_physical(buf, len, "ext44")); /* no prefix match */
    assert_false(host_fs_is_physical(buf, len, "nodev"));
    assert_false(host_fs_is_physical(buf, len, ""));
    assert_false(host_fs_is_physical(buf, len, "zfs")); /* not listed at all */
    free(buf);
    const char *zfs = "nodev\tzfs\nnodev\tnfs\n\tvfat\nnodev\n";
    assert_true(host_fs_is_physical(zfs, strlen(zfs), "zfs"));
    assert_false(host_fs_is_physical(zfs, strlen(zfs), "nfs"));
    assert_true(host_fs_is_physical(zfs, strlen(zfs), "vfat"));
    assert_false(host_fs_is_physical("", 0, "ext4"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_dev_basic),   cmocka_unit_test(test_net_dev_edges),
        cmocka_unit_test(test_diskstats_basic), cmocka_unit_test(test_diskstats_layouts),
        cmocka_unit_test(test_diskstats_bad),   cmocka_unit_test(test_mounts),
        cmocka_unit_test(test_filesystems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
