/* real_format.c -- shortest round-trip text of a double. See real_format.h.
 *
 * The fast path.  A positive double is x = m·2^e with 2^52 <= m < 2^53.  The
 * doubles next to it are (m±1)·2^e (below a power of two, m = 2^52, the lower
 * one is only half as far), so strtod() reads a decimal D·10^-k back as x
 * exactly when it lies in the rounding interval around x: within 2·2^(e-2)
 * above and 2·2^(e-2) (1·2^(e-2) at a power of two) below, ends included when
 * m is even (ties go to the even mantissa).  For p significant digits and
 * x's decimal exponent E (10^E <= x < 10^(E+1)), printf's "%.*g" writes D =
 * x·10^k rounded half-even to an integer, k = p-1-E.  Both are exact in
 * 128-bit integers when 1e-5 <= x < 2^53: in units of 2^(e-2)·10^-k,
 *     x = num / den,   num = 4m·10^max(k,0),   den = 2^(2-e)·10^max(-k,0),
 * with num < 2^55·10^21 < 2^126 and den < 2^72 or (k < 0) < 2^102.  The
 * smallest p whose D lies in the interval is the one the printf/strtod loop
 * stops at; D and E then give the same text as printf would. */
#include "real_format.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

static const uint64_t POW10[20] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull, 10000000000000000000ull,
};

/* 10^k for 0 <= k <= 38. */
static u128 pow10_128(int k)
{
    return k <= 19 ? (u128)POW10[k] : (u128)POW10[19] * pow10_128(k - 19);
}

/* Adds ".0" when text has neither a '.' nor an exponent (a JSON reader would
 * take it for an integer). Returns the new length. */
static size_t keep_real(char *buf, size_t n)
{
    if (!memchr(buf, '.', n) && !memchr(buf, 'e', n) && !memchr(buf, 'E', n) && n + 3 <= REAL_FORMAT_MAX) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    return n;
}

size_t real_format_shortest_slow(double x, char buf[REAL_FORMAT_MAX])
{
    if (!isfinite(x)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, REAL_FORMAT_MAX, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.'; /* a locale's decimal comma */
    return keep_real(buf, strlen(buf));
}

/* Rounds x·10^k half-even to the integer *d and says whether *d·10^-k reads
 * back as x (see the top of the file). x = 4m·2^-shift; lowgap is 2, or 1 at
 * a power of two; even whether m is even. Every division here is a shift or
 * a 64-bit one. */
static bool round_trips(uint64_t m, int shift, int k, unsigned lowgap, bool even, uint64_t *d)
{
    u128 scale, q, r, den;
    if (k >= 0) {
        scale = pow10_128(k);
        u128 num = ((u128)m << 2) * scale; /* x·10^k = num / 2^shift */
        den = (u128)1 << shift;
        q = num >> shift;
        r = num & (den - 1);
    } else {
        /* x·10^k = 4m / (2^shift·10^-k): divide by 2^shift, then by 10^-k */
        scale = 1;
        uint64_t p = POW10[-k];
        uint64_t num = m << 2;
        uint64_t q1 = num >> shift, r1 = num & ((1ull << shift) - 1);
        uint64_t q2 = q1 / p;
        den = (u128)p << shift;
        q = q2;
        r = ((u128)(q1 - q2 * p) << shift) | r1;
    }
    bool up = 2 * r > den || (2 * r == den && (q & 1));
    *d = (uint64_t)(up ? q + 1 : q);
    if (up) {
        u128 above = den - r;
        return even ? above <= 2 * scale : above < 2 * scale;
    }
    return even ? r <= lowgap * scale : r < lowgap * scale;
}

/* Writes the "%.{p}g" text of ±D·10^(E-(p-1)) (D has p digits, 10^(p-1) <=
 * D < 10^p) into buf, with ".0" added as keep_real() would; returns the
 * length. */
static size_t write_g(bool negative, uint64_t d, int p, int exp10, char *buf)
{
    char digits[20];
    for (int i = p - 1; i >= 0; i--) {
        digits[i] = (char)('0' + d % 10);
        d /= 10;
    }
    int n = p;
    while (n > 1 && digits[n - 1] == '0')
        n--; /* %g drops trailing zeros */
    size_t len = 0;
    if (negative)
        buf[len++] = '-';
    if (exp10 < p && exp10 >= -4) {
        if (exp10 >= 0) {
            for (int i = 0; i <= exp10; i++)
                buf[len++] = i < n ? digits[i] : '0';
            buf[len++] = '.'; /* with ".0" when there is no fraction: stays a real */
            if (n > exp10 + 1) {
                for (int i = exp10 + 1; i < n; i++)
                    buf[len++] = digits[i];
            } else {
                buf[len++] = '0';
            }
        } else {
            buf[len++] = '0';
            buf[len++] = '.';
            for (int i = -1; i > exp10; i--)
                buf[len++] = '0';
            for (int i = 0; i < n; i++)
                buf[len++] = digits[i];
        }
    } else {
        buf[len++] = digits[0];
        if (n > 1) {
            buf[len++] = '.';
            for (int i = 1; i < n; i++)
                buf[len++] = digits[i];
        }
        buf[len++] = 'e';
        buf[len++] = exp10 < 0 ? '-' : '+';
        int a = exp10 < 0 ? -exp10 : exp10;
        if (a >= 100)
            buf[len++] = (char)('0' + a / 100);
        buf[len++] = (char)('0' + a / 10 % 10);
        buf[len++] = (char)('0' + a % 10);
    }
    buf[len] = '\0';
    return len;
}

size_t real_format_shortest(double x, char buf[REAL_FORMAT_MAX])
{
    double ax = fabs(x);
    if (!(ax >= 1e-5 && ax < 9007199254740992.0)) /* also NaN; ±inf, 0 and the rest: the loop */
        return real_format_shortest_slow(x, buf);
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    uint64_t m = (bits & ((1ull << 52) - 1)) | (1ull << 52);
    int e = (int)(bits >> 52) - 1075; /* ax = m·2^e, -69 <= e <= 0 here */
    int shift = 2 - e;
    unsigned lowgap = m == (1ull << 52) ? 1 : 2;
    bool even = (m & 1) == 0;

    /* E exactly: floor(ax·10^(16-E)) has 17 digits. The estimate from the
     * binary exponent (log10 2 = 0.30103) is at most one off. */
    int exp10 = (int)floor((double)(e + 52) * 0.30102999566398120);
    for (int tries = 0; tries < 3; tries++) {
        u128 q = ((u128)m * pow10_128(16 - exp10)) >> -e;
        if (q < (u128)POW10[16])
            exp10--;
        else if (q >= (u128)POW10[17])
            exp10++;
        else
            break;
    }
    /* The smallest p that reads back. With the interval symmetric about x
     * (any m but a power of two) reading back is monotonic in p: the
     * correctly rounded (p+1)-digit value is at least as close to x as the
     * p-digit one, which lies on its grid. So a binary search finds it; at a
     * power of two the interval is lopsided and p is searched upwards. */
    uint64_t d;
    int p = 17;
    round_trips(m, shift, 16 - exp10, lowgap, even, &d); /* 17 digits always read back */
    if (lowgap == 2) {
        int lo = 1;
        while (lo < p) {
            int mid = (lo + p) / 2;
            uint64_t dm;
            if (round_trips(m, shift, mid - 1 - exp10, lowgap, even, &dm)) {
                p = mid;
                d = dm;
            } else {
                lo = mid + 1;
            }
        }
    } else {
        for (int q = 1; q < 17; q++) {
            uint64_t dq;
            if (round_trips(m, shift, q - 1 - exp10, lowgap, even, &dq)) {
                p = q;
                d = dq;
                break;
            }
        }
    }
    if (d == POW10[p]) { /* 9.99… rounded up to 10.0… */
        d = POW10[p - 1];
        exp10++;
    }
    return write_g(x < 0, d, p, exp10, buf);
}
