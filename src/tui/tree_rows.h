/* SPDX-License-Identifier: Apache-2.0 */
/* The tree view's text (spec §3.6): the header and one line per node of a process tree,
 * columns PID, USER, DEVICE, NLWP, %CPU, %MEM, TIME as wide as their widest value, then the
 * tree prefix ("├─ ", "└─ ", "│  ") and the command. Pure: unscrolled text that the screen
 * slices at its horizontal offset; tested on hand-built trees. */
#ifndef NVITOP_TUI_TREE_ROWS_H
#define NVITOP_TUI_TREE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ptree ptree_t;

typedef struct tree_row {
    char *text;       /* the whole line */
    int prefix_at;    /* column of the tree prefix */
    int prefix_width; /* its columns */
    uint32_t pid;
    char username[64]; /* NVITOP_NA_TEXT when unknown */
    bool gone;
} tree_row_t;

typedef struct tree_rows {
    char *header;
    int command_at; /* column of COMMAND in the header */
    tree_row_t *rows;
    size_t count;
} tree_rows_t;

/* Builds the text of `tree` (NULL or empty: no rows, a header still). Returns 0 or -1 (out of
 * memory; *out is empty then). */
int tree_rows_build(const ptree_t *tree, tree_rows_t *out);
void tree_rows_free(tree_rows_t *r);

/* The row of pid, or -1. */
int tree_rows_find(const tree_rows_t *r, uint32_t pid);

#endif
