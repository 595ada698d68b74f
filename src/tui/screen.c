/* SPDX-License-Identifier: Apache-2.0 */
/* curses (screen.h): the terminal set up as nvitop sets it up (cbreak, no echo, keypad, no
 * cursor, mouse, default colours, ESCDELAY 25 ms), frame rows drawn as runs of one style, and
 * keys decoded. Escape sequences curses does not know, mouse reports among them, are decoded
 * by keys_csi rather than by curses: ncurses reads the button of an X10 report with Shift or
 * Ctrl on the wheel as motion (which loses Shift- and Ctrl-wheel), and knows only the one
 * report form the terminal's entry names; we ask for SGR reports (1006) and read all forms. */
#include "tui/screen.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "tui/keys.h"
#include "util/utf8.h"

#define NO_PAIR (-1)

struct screen {
    SCREEN *term;
    bool default_colors, light, colors, colors256;
    short pairs[256][2]; /* per foreground: pair number, plain and on the reverse tweak */
    short next_pair;
    tcell_t *shown; /* what the terminal shows */
    int rows, cols;
    int rest; /* of a sequence cut short (keys_rest), expected until rest_until_ms */
    long long rest_until_ms;
};

#define REST_WAIT_MS 1000

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define MOUSE_ON "\033[?1000h\033[?1006h" /* press and release reports, SGR encoding */
#define MOUSE_OFF "\033[?1006l\033[?1000l"

screen_t *screen_start(bool light, bool colorful, char *err, size_t err_len)
{
    screen_t *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    setenv("ESCDELAY", "25", 0); /* a lone Esc after 25 ms, not curses' second */
    s->term = newterm(NULL, stdout, stdin);
    if (!s->term) {
        const char *term = getenv("TERM");
        snprintf(err, err_len, "setupterm: could not find terminal '%s'", term ? term : "");
        free(s);
        return NULL;
    }
    set_term(s->term);
    noecho();
    cbreak();
    keypad(stdscr, TRUE);
    /* Mouse reports are ours to decode (keys_csi): the entry names one prefix or the other as
     * the mouse key (xterm: ESC [ <, screen: ESC [ M), so neither is a curses key. */
    define_key("\033[<", 0);
    define_key("\033[M", 0);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    fputs(MOUSE_ON, stdout);
    fflush(stdout);
    s->light = light;
    if (has_colors()) {
        start_color();
        s->colors = true;
        s->default_colors = use_default_colors() == OK;
        s->colors256 = colorful && COLORS >= 256;
    }
    for (int i = 0; i < 256; i++)
        s->pairs[i][0] = s->pairs[i][1] = NO_PAIR;
    s->next_pair = 1;
    return s;
}

void screen_stop(screen_t *s)
{
    if (!s) return;
    fputs(MOUSE_OFF, stdout);
    fflush(stdout);
    endwin();
    delscreen(s->term);
    free(s->shown);
    free(s);
}

bool screen_colors256(const screen_t *s)
{
    return s->colors256;
}

void screen_size(screen_t *s, int *lines, int *cols)
{
    struct winsize ws;
    /* a terminal that went away answers nonsense: keep the last size then */
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        ws.ws_row <= 4096 && ws.ws_col <= 4096)
        resize_term(ws.ws_row, ws.ws_col);
    *lines = LINES > 0 && LINES <= 4096 ? LINES : 24;
    *cols = COLS > 0 && COLS <= 4096 ? COLS : 80;
    (void)s;
}

/* nvitop's colormap: hue 0.5 (1 - x) - 0.15 in 1/160 steps, saturation 0.7, value 0.8. */
static void gradient_rgb(int level, double rgb[3])
{
    double x = (double)level / (TS_GRADIENT_STEPS - 1);
    double h = 0.5 * (1.0 - x) - 0.15;
    h = fmod(round(h * 160) / 160 + 1.0, 1.0);
    double sat = 0.7, val = 0.8;
    int i = (int)(h * 6.0);
    double f = h * 6.0 - i, p = val * (1 - sat), q = val * (1 - sat * f),
           t = val * (1 - sat * (1 - f));
    double table[6][3] = {{val, t, p}, {q, val, p}, {p, val, t},
                          {p, q, val}, {t, p, val}, {val, p, q}};
    memcpy(rgb, table[i % 6], sizeof(table[0]));
}

/* The curses colour of a frame colour: basic colours as they are; the gradient as the nearest
 * of the 6x6x6 cube of the 256-colour palette. (nvitop redefines palette entries from 64 on,
 * which most terminals and tmux ignore and which changes the palette of the whole terminal;
 * the cube needs neither.) */
static short curses_color(screen_t *s, unsigned fg)
{
    if (fg == TC_DEFAULT) return -1;
    if (fg < TS_GRADIENT) return (short)(fg - TC_BLACK);
    int level = (int)fg - TS_GRADIENT;
    double rgb[3];
    gradient_rgb(level, rgb);
    (void)s;
    return (short)(16 + 36 * lround(rgb[0] * 5) + 6 * lround(rgb[1] * 5) + lround(rgb[2] * 5));
}

static short pair_of(screen_t *s, unsigned fg, bool reverse)
{
    if (!s->colors || (fg == TC_DEFAULT && !reverse)) return 0;
    /* --light: a reverse highlight in a colour gets the dark foreground as background */
    int tweak = s->light && reverse && fg != TC_DEFAULT ? 1 : 0;
    if (fg == TC_DEFAULT) return 0;
    if (s->pairs[fg][tweak] != NO_PAIR) return s->pairs[fg][tweak];
    short bg =
        tweak ? COLOR_BLACK : (s->default_colors ? -1 : (s->light ? COLOR_WHITE : COLOR_BLACK));
    short color = curses_color(s, fg);
    if (color < 0) color = s->light ? COLOR_BLACK : COLOR_WHITE;
    short pair = s->next_pair < COLOR_PAIRS ? s->next_pair++ : 0;
    if (pair && init_pair(pair, color, bg) == ERR) pair = 0;
    s->pairs[fg][tweak] = pair;
    return pair;
}

static attr_t attrs_of(tstyle_t style)
{
    attr_t a = A_NORMAL;
    if (style & TS_BOLD) a |= A_BOLD;
    if (style & TS_DIM) a |= A_DIM;
    if (style & TS_REVERSE) a |= A_REVERSE;
    if (style & TS_UNDERLINE) a |= A_UNDERLINE;
    if (style & TS_BLINK) a |= A_BLINK;
    if (style & TS_ITALIC) a |= A_ITALIC;
    if (style & TS_STANDOUT) a |= A_STANDOUT;
    return a;
}

/* Draws columns [from, to) of one row as runs of cells of one style. */
static void draw_row(screen_t *s, const frame_t *f, int y, int from, int to)
{
    const tcell_t *row = &f->cells[(size_t)y * (size_t)f->cols];
    wchar_t buf[1024]; /* wide characters: curses takes them without decoding UTF-8 again */
    for (int x = from; x < to;) {
        tstyle_t style = row[x].style;
        int start = x;
        int len = 0;
        for (; x < to && row[x].style == style && len + 1 < (int)ARRAY_LEN(buf); x++)
            if (row[x].cp) buf[len++] = (wchar_t)row[x].cp;
        buf[len] = 0;
        attr_set(attrs_of(style), pair_of(s, style & TS_FG_MASK, style & TS_REVERSE), NULL);
        mvaddnwstr(y, start, buf, len);
    }
}

_Static_assert(sizeof(tcell_t) == 2 * sizeof(uint32_t), "a cell compares as its bytes");

static bool same_cell(const tcell_t *a, const tcell_t *b)
{
    return a->cp == b->cp && a->style == b->style;
}

/* The columns [*from, *to) of a row that differ from what is shown, widened to whole wide
 * characters (curses writes only the cells handed to it); false when none differ. */
static bool changed_span(const tcell_t *shown, const tcell_t *row, int cols, int *from, int *to)
{
    /* most rows are as shown: one memcmp */
    if (memcmp(shown, row, (size_t)cols * sizeof(*row)) == 0) return false;
    int first = 0, end = cols;
    while (first < cols && same_cell(&shown[first], &row[first]))
        first++;
    if (first == cols) return false;
    while (end > first && same_cell(&shown[end - 1], &row[end - 1]))
        end--;
    while (first > 0 && (row[first].cp == 0 || shown[first].cp == 0))
        first--; /* from the left half of a wide character, ours or the one shown */
    while (end < cols && (row[end].cp == 0 || shown[end].cp == 0))
        end++;
    *from = first;
    *to = end;
    return true;
}

void screen_show(screen_t *s, const frame_t *f, bool repaint, bool beep_now)
{
    size_t n = (size_t)f->rows * (size_t)f->cols;
    if (s->rows != f->rows || s->cols != f->cols || !s->shown) {
        free(s->shown);
        s->shown = calloc(n + 1, sizeof(*s->shown));
        s->rows = f->rows;
        s->cols = f->cols;
        repaint = true;
        if (!s->shown) return;
    }
    for (int y = 0; y < f->rows; y++) {
        size_t at = (size_t)y * (size_t)f->cols;
        int from = 0, to = f->cols;
        if (!repaint && !changed_span(&s->shown[at], &f->cells[at], f->cols, &from, &to)) continue;
        draw_row(s, f, y, from, to);
        memcpy(&s->shown[at], &f->cells[at], (size_t)f->cols * sizeof(*f->cells));
    }
    if (repaint) clearok(curscr, TRUE);
    wnoutrefresh(stdscr);
    doupdate();
    if (beep_now) beep();
}

static int decode(int ch)
{
    switch (ch) {
    case KEY_UP:
        return TK_UP;
    case KEY_DOWN:
        return TK_DOWN;
    case KEY_LEFT:
        return TK_LEFT;
    case KEY_RIGHT:
        return TK_RIGHT;
    case KEY_HOME:
    case KEY_FIND: /* ESC [ 1 ~, Home of tmux, PuTTY, the Linux console, in xterm's entry */
        return TK_HOME;
    case KEY_END:
    case KEY_SELECT: /* ESC [ 4 ~, their End */
        return TK_END;
    case KEY_PPAGE:
        return TK_PAGE_UP;
    case KEY_NPAGE:
        return TK_PAGE_DOWN;
    case KEY_BTAB:
        return TK_BACKTAB;
    case KEY_F(5):
        return TK_F5;
    case KEY_RESIZE:
        return TK_RESIZE;
    case KEY_ENTER:
    case '\r':
    case '\n':
        return TK_ENTER;
    default:
        return ch >= 0 && ch < KEY_MIN ? ch : TK_NONE;
    }
}

/* The next byte of a sequence that arrives in one piece: waits at most 50 ms. A byte that
 * curses read as a key of the terminal's entry is a byte again (127 as Backspace; others
 * are no byte of a sequence: > 255, garbage to the decoder). */
static int next_byte(void *ctx)
{
    (void)ctx;
    timeout(50);
    int ch = getch();
    nodelay(stdscr, TRUE);
    if (ch == ERR) return -1;
    return ch == KEY_BACKSPACE ? 127 : ch;
}

static void unread_byte(void *ctx, int byte)
{
    (void)ctx;
    ungetch(byte);
}

/* The key of a sequence after ESC, whose next byte is `next`: CSI and SS3 sequences (mouse
 * reports among them) decoded by keys_csi/keys_ss3, else Alt+key. */
static int escape_key(int next, keys_input_t *in, keys_mouse_t *m)
{
    if (next == '[') return keys_csi(in, m);
    if (next == 'O') return keys_ss3(in);
    int key = decode(next);
    return key == TK_NONE || key == TK_ESC ? TK_ESC : TK_ALT + key;
}

/* curses matched the entry's mouse key (kmous) although screen_start undefined the usual
 * ones: what it ate after ESC [ is handed back, and the report decodes as any other. */
static int after_mouse_key(keys_input_t *in, keys_mouse_t *m)
{
    const char *kmous = tigetstr("kmous");
    if (!kmous || kmous == (char *)-1 || strncmp(kmous, "\033[", 2) != 0) return TK_NONE;
    for (size_t i = strlen(kmous); i > 2; i--)
        ungetch((unsigned char)kmous[i - 1]);
    return keys_csi(in, m);
}

/* The key of the next input (TK_NONE also for input that is no key). */
static int one_key(screen_t *s, int ch, keys_mouse_t *m)
{
    keys_input_t in = {next_byte, unread_byte, NULL, 0};
    int key;
    if (s->rest && monotonic_ms() < s->rest_until_ms && keys_rest(ch, &s->rest)) return TK_NONE;
    s->rest = 0;
    if (ch == KEY_MOUSE)
        key = after_mouse_key(&in, m);
    else if (ch == 27) { /* Esc, an escape sequence, or Alt+key when the key follows at once */
        int next = next_byte(NULL);
        key = next < 0 ? TK_ESC : escape_key(next, &in, m);
    } else
        key = decode(ch);
    if (in.rest) { /* a sequence cut short: its rest, if it comes soon, is no keys */
        s->rest = in.rest;
        s->rest_until_ms = monotonic_ms() + REST_WAIT_MS;
    }
    return key;
}

int screen_key(screen_t *s, int *mouse_y, int *mouse_x, int *mouse_button)
{
    keys_mouse_t m = {0, 0, 0};
    int key = TK_NONE, ch;
    while (key == TK_NONE && (ch = getch()) != ERR)
        key = one_key(s, ch, &m);
    if (key == TK_MOUSE) {
        *mouse_y = m.y;
        *mouse_x = m.x;
        *mouse_button = m.button;
    }
    return key;
}
