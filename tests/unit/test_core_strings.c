/* SPDX-License-Identifier: Apache-2.0 */
/* NVML's return codes by number: the texts and names the Python facade's NVMLError shows. */
#include "testutil.h"

#include <nvitop.h>

static void test_nvml_return_string(void **state)
{
    (void)state;
    assert_string_equal(nvitop_nvml_return_string(3), "Not Supported");
    assert_string_equal(nvitop_nvml_return_string(15), "GPU is lost");
    assert_string_equal(nvitop_nvml_return_string(12), "NVML Shared Library Not Found");
    assert_string_equal(nvitop_nvml_return_string(999), "Unknown Error");
    assert_null(nvitop_nvml_return_string(12345));
    assert_null(nvitop_nvml_return_string(-1));
}

static void test_nvml_return_name(void **state)
{
    (void)state;
    assert_string_equal(nvitop_nvml_return_name(0), "SUCCESS");
    assert_string_equal(nvitop_nvml_return_name(2), "INVALID_ARGUMENT");
    assert_string_equal(nvitop_nvml_return_name(18), "LIB_RM_VERSION_MISMATCH");
    assert_null(nvitop_nvml_return_name(31337));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvml_return_string),
        cmocka_unit_test(test_nvml_return_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
