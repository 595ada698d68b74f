/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet as text and JSON (report.c), and the pieces the monitor's fleet screen shares with
 * the report: the summary, a node's line, an age. */
#ifndef NVITOP_FLEET_REPORT_H
#define NVITOP_FLEET_REPORT_H

#include "fleet/fleet.h"

/* "3 nodes (1 stale), 7 GPUs: 2 busy, 5 idle, 150.2 GiB free" */
void fleet_format_summary(const fleet_t *f, const fleet_rules_t *rules, strbuf_t *out);
/* "host (instance)  CPU ..  MEM ..  LOAD ..  GPUs 2 of 3  scraped 1 s ago", or the stale form
 * "host (instance)  STALE: exporter down, last scrape 12 s ago". */
void fleet_format_node(const fleet_t *f, const fleet_node_t *n, strbuf_t *out);
/* "now", "12 s ago", "3 min ago", "2 h ago", "never". */
void fleet_format_age(char *buf, size_t len, double now_s, double then_s);
/* The node's physical GPUs that report (its MIG devices not counted). */
size_t fleet_node_physical_gpus(const fleet_t *f, const fleet_node_t *n);

void fleet_report_text(const fleet_t *f, const fleet_rules_t *rules, const char *url,
                       strbuf_t *out);
/* Returns 0 or -1 (out of memory). */
int fleet_report_json(const fleet_t *f, const fleet_rules_t *rules, const char *url, strbuf_t *out);

#endif
