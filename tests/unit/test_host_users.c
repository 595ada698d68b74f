/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the user-name cache and the current user (src/host/users.c). */
#include "testutil.h"

#include "host/host_internal.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the name of uid should be: its passwd entry, else its decimal form. */
static void expected_name(uint32_t uid, char *buf, size_t len)
{
    struct passwd *pw = getpwuid((uid_t)uid);
    if (pw && pw->pw_name && pw->pw_name[0])
        snprintf(buf, len, "%s", pw->pw_name);
    else
        snprintf(buf, len, "%u", (unsigned)uid);
}

static void test_names_cached(void **state)
{
    (void)state;
    host_users_t users = {0};
    const char *root = host_user_name(&users, 0);
    assert_non_null(root);
    assert_string_equal(root, "root");
    assert_ptr_equal(host_user_name(&users, 0), root); /* cached: the same string */
    assert_int_equal(users.count, 1);

    char want[256];
    expected_name(4242, want, sizeof(want));
    assert_string_equal(host_user_name(&users, 4242), want);
    expected_name(UINT32_MAX - 1, want, sizeof(want));
    assert_string_equal(host_user_name(&users, UINT32_MAX - 1), want);
    assert_int_equal(users.count, 3);
    host_users_fini(&users);
    assert_int_equal(users.count, 0);
    assert_null(users.entries);
    host_users_fini(&users);
}

static void test_many_uids(void **state)
{
    (void)state;
    host_users_t users = {0};
    /* Scrambled insertion order; each answer must stay valid while more are added. */
    const char *first[600];
    for (uint32_t i = 0; i < 600; i++) {
        uint32_t uid = 50000 + (i * 7919) % 600;
        first[i] = host_user_name(&users, uid);
        assert_non_null(first[i]);
    }
    assert_int_equal(users.count, 600);
    for (uint32_t i = 0; i < 600; i++) {
        uint32_t uid = 50000 + (i * 7919) % 600;
        assert_ptr_equal(host_user_name(&users, uid), first[i]);
        char want[256];
        expected_name(uid, want, sizeof(want));
        assert_string_equal(first[i], want);
    }
    assert_int_equal(users.count, 600);
    host_users_fini(&users);
}

static void clear_user_env(void)
{
    unsetenv("LOGNAME");
    unsetenv("USER");
    unsetenv("LNAME");
    unsetenv("USERNAME");
}

static void test_current_user(void **state)
{
    (void)state;
    host_users_t users = {0};
    char buf[64];
    clear_user_env();
    setenv("USERNAME", "dora", 1);
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), "dora");
    setenv("LNAME", "carol", 1);
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), "carol");
    setenv("USER", "bob", 1);
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), "bob");
    setenv("LOGNAME", "alice", 1);
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), "alice");
    /* Empty values are skipped, as getpass.getuser() does. */
    setenv("LOGNAME", "", 1);
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), "bob");
    /* Truncated to the buffer, always terminated. */
    char small[4];
    assert_string_equal(host_current_user(&users, small, sizeof(small)), "bob");
    setenv("USER", "bobby", 1);
    assert_string_equal(host_current_user(&users, small, sizeof(small)), "bob");
    assert_ptr_equal(host_current_user(&users, small, 0), small);
    /* Nothing set: the passwd entry of getuid(). */
    clear_user_env();
    char want[256];
    expected_name((uint32_t)getuid(), want, sizeof(want));
    assert_string_equal(host_current_user(&users, buf, sizeof(buf)), want);
    host_users_fini(&users);
}

/* The public query (include/nvitop/host.h) gives the same name, with no context. */
static void test_public_current_user(void **state)
{
    (void)state;
    char buf[64], small[4];
    clear_user_env();
    setenv("USER", "bobby", 1);
    assert_int_equal(nvitop_current_user(buf, sizeof(buf)), 0);
    assert_string_equal(buf, "bobby");
    assert_int_equal(nvitop_current_user(small, sizeof(small)), 0);
    assert_string_equal(small, "bob");
    setenv("LOGNAME", "alice", 1);
    assert_int_equal(nvitop_current_user(buf, sizeof(buf)), 0);
    assert_string_equal(buf, "alice");
    clear_user_env();
    char want[256];
    expected_name((uint32_t)getuid(), want, sizeof(want));
    assert_int_equal(nvitop_current_user(buf, sizeof(buf)), 0);
    assert_string_equal(buf, want);
    assert_int_equal(nvitop_current_user(NULL, 4), NVITOP_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_cached),
        cmocka_unit_test(test_many_uids),
        cmocka_unit_test(test_current_user),
        cmocka_unit_test(test_public_current_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
