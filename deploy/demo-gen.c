/* demo-gen.c -- deterministic demo data for junheng: the school registry and
 * one school year of submissions for the 12 county-level units of Dezhou city
 * (德州市), shaped after the city's 2023 action plan so that the counties
 * differ the way real ones do.  See docs/demo-data.md.
 *
 *   junheng-demo-gen [--seed N] [--period YEAR] OUTDIR
 *
 * Writes OUTDIR/counties.csv, schools.csv, submissions-YEAR.csv,
 * submissions-bad.csv and submissions-YEAR-zh-sample.csv (Chinese headers,
 * UTF-8; convert it to GBK with iconv as docs/demo-data.md says), and prints
 * a per-county summary computed with the generator's own reading of
 * the assessment rules (docs/rules.md; an estimate for the docs, not the
 * product's verdict).
 *
 * Determinism: one splitmix64 stream, at most one draw per full expression
 * where C leaves the evaluation order open (function arguments, operands of
 * + and *), integer arithmetic for everything that
 * is written, and only IEEE-exact double operations (+ - * / sqrt, floor,
 * ceil) where doubles are used, so the output is byte-identical on every
 * machine and compiler for the same seed and period. */
/* No fused multiply-add: a*b+c must round twice on every machine. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define DEFAULT_SEED 20250901u
#define DEFAULT_PERIOD 2025
#define MAX_SCHOOLS 1400
#define MAX_CLASSES 96
#define MAX_ROOMS 8
#define MAX_TOWNS 18

/* ------------------------------------------------------------------------- */
/* PRNG: splitmix64                                                           */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform double in [lo, hi). */
static double rng_uniform(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}

/* Uniform integer in [lo, hi]. */
static int rng_int(int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

static int rng_chance(double p)
{
    return rng_unit() < p;
}

/* Rounds x >= 0 down or up at random so that the expectation is x. */
static int64_t rng_round(double x)
{
    double f = floor(x);
    return (int64_t)f + (rng_unit() < x - f ? 1 : 0);
}

/* ------------------------------------------------------------------------- */
/* The counties                                                               */

enum { K_PRIMARY, K_JUNIOR, K_NINE, K_TWELVE, K_COMPLETE, K_TP, K_SPECIAL, K_COUNT };
enum { L_URBAN, L_TOWN, L_RURAL };
enum { I_QUAL, I_BACK, I_PEART, I_TEACH, I_SPORTS, I_EQUIP, I_MM, I_COUNT };

static const char *const KIND_KEYS[K_COUNT] = { "primary",  "junior",         "nine_year", "twelve_year",
                                                "complete_secondary", "teaching_point", "special" };
static const char *const LOC_KEYS[3] = { "urban", "town", "rural" };
static const char *const IND_KEYS[I_COUNT] = { "qualified_teachers", "backbone_teachers", "pe_art_teachers",
                                               "teaching_area",      "sports_area",       "equipment_value",
                                               "multimedia_rooms" };

/* Standards of docs/rules.md §1, primary and junior. */
static const double STD[I_COUNT][2] = {
    { 4.2, 5.3 }, { 1.0, 1.0 }, { 0.9, 0.9 }, { 4.5, 5.8 }, { 7.5, 10.2 }, { 2000, 2500 }, { 2.3, 2.4 },
};
/* Teacher and room indicators are per 100 students. */
static const double PER[I_COUNT] = { 100, 100, 100, 1, 1, 1, 100 };
#define W_JUNIOR 1.1
#define W_SENIOR 1.32

typedef struct {
    const char *code;
    const char *name;
    const char *towns[MAX_TOWNS]; /* the first n_urban are the county seat's 街道 */
    int n_urban;
    int n_schools;
    int urban_pct;     /* share of ordinary schools in the county seat */
    int tp_pct;        /* share of teaching points */
    double class_ok;   /* plan: share of schools at standard class size */
    double scale_ok;   /* plan: share of schools within the size cap */
    double all7;       /* plan: share of schools meeting all seven */
    double meet[I_COUNT]; /* plan: share meeting each indicator */
    double spread;     /* how far above the standard schools spread (drives the coefficients) */
    double deep;       /* of the misses, the share below 85 % of the standard */
    int crowded;       /* urban schools are the weak ones (big classes, little sports area) */
    /* guarantee items (§6) */
    double rooms_ok, cert_ok, train_ok, exch_rate, exch_backbone, zone_ok, budget_ok;
} county_def;

/* Shares from Dezhou's 2023-2025 action plan (docs/demo-data.md); town names are real
 * towns and sub-districts of each county, used as labels. */
static const county_def COUNTIES[] = {
    { "371402", "德城区",
      { "新湖街道", "新华街道", "天衢街道", "广川街道", "运河街道", "二屯镇", "黄河涯镇", NULL },
      5, 90, 72, 3, 0.34, 0.96, 0.60, { 1.00, 1.00, 1.00, 0.78, 0.64, 1.00, 0.96 },
      0.9, 0.15, 1, 0.85, 1.00, 1.00, 0.14, 0.28, 0.80, 1.00 },
    { "371403", "陵城区",
      { "安德街道", "临齐街道", "郑家寨镇", "糜镇", "宋家镇", "徽王庄镇", "神头镇", "滋镇", "前孙镇",
        "边临镇", "义渡口乡", "丁庄镇", "于集乡", NULL },
      2, 85, 22, 12, 0.77, 0.90, 0.42, { 0.989, 1.00, 1.00, 0.9487, 0.7179, 0.75, 0.90 },
      1.0, 0.10, 0, 0.80, 1.00, 0.97, 0.13, 0.24, 1.00, 0.85 },
    { "371422", "宁津县",
      { "宁城街道", "津城街道", "柴胡店镇", "长官镇", "杜集镇", "保店镇", "大柳镇", "大曹镇", "相衙镇",
        "时集镇", "张大庄镇", "刘营伍乡", NULL },
      2, 80, 20, 15, 0.605, 0.914, 0.5238, { 1.00, 1.00, 1.00, 0.89, 0.85, 0.75, 1.00 },
      4.6, 0.10, 0, 0.70, 0.95, 0.96, 0.13, 0.15, 1.00, 0.92 },
    { "371423", "庆云县",
      { "渤海路街道", "庆云镇", "常家镇", "尚堂镇", "崔口镇", "东辛店镇", "严务乡", "徐园子乡", NULL },
      1, 60, 25, 10, 0.55, 0.738, 0.909, { 1.00, 1.00, 1.00, 0.945, 0.945, 0.9392, 0.9394 },
      1.0, 0.05, 0, 1.00, 1.00, 1.00, 0.15, 0.27, 1.00, 1.00 },
    { "371424", "临邑县",
      { "邢侗街道", "恒源街道", "临盘街道", "临邑镇", "孟寺镇", "德平镇", "林子镇", "兴隆镇", "宿安镇",
        "理合务镇", "翟家镇", "临南镇", NULL },
      3, 95, 25, 12, 0.10, 1.00, 0.60, { 1.00, 0.98, 0.73, 0.977, 0.912, 0.65, 0.90 },
      1.0, 0.12, 0, 0.85, 1.00, 1.00, 0.14, 0.26, 1.00, 1.00 },
    { "371425", "齐河县",
      { "晏城街道", "晏北街道", "表白寺镇", "焦庙镇", "赵官镇", "祝阿镇", "仁里集镇", "潘店镇", "胡官屯镇",
        "宣章屯镇", "华店镇", "刘桥镇", "安头乡", "大黄乡", "马集镇", NULL },
      2, 100, 25, 10, 1.00, 1.00, 1.00, { 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00 },
      0.8, 0.00, 0, 1.00, 1.00, 1.00, 0.18, 0.30, 1.00, 1.00 },
    { "371426", "平原县",
      { "龙门街道", "桃园街道", "王凤楼镇", "前曹镇", "恩城镇", "王庙镇", "王杲铺镇", "张华镇", "腰站镇",
        "坊子乡", "三唐乡", NULL },
      2, 85, 22, 12, 0.83, 0.963, 0.80, { 1.00, 1.00, 0.90, 0.90, 0.90, 1.00, 1.00 },
      0.9, 0.05, 0, 1.00, 1.00, 1.00, 0.15, 0.27, 1.00, 1.00 },
    { "371427", "夏津县",
      { "银城街道", "北城街道", "南城镇", "苏留庄镇", "新盛店镇", "雷集镇", "郑保屯镇", "白马湖镇",
        "东李官屯镇", "宋楼镇", "香赵庄镇", "双庙镇", "渡口驿乡", "田庄乡", NULL },
      2, 90, 20, 14, 0.60, 0.8788, 0.50, { 0.983, 0.95, 0.75, 0.92, 0.988, 1.00, 1.00 },
      1.0, 0.08, 0, 0.80, 0.97, 0.96, 0.13, 0.26, 1.00, 0.85 },
    { "371428", "武城县",
      { "广运街道", "武城镇", "老城镇", "鲁权屯镇", "郝王庄镇", "甲马营镇", "李家户镇", "四女寺镇", NULL },
      1, 65, 22, 12, 0.699, 0.914, 0.30, { 1.00, 0.7636, 0.85, 0.80, 0.90, 1.00, 1.00 },
      1.3, 0.30, 0, 0.60, 0.90, 0.92, 0.075, 0.17, 0.97, 0.90 },
    { "371481", "乐陵市",
      { "市中街道", "胡家街道", "云红街道", "郭家街道", "杨安镇", "朱集镇", "黄夹镇", "丁坞镇", "花园镇",
        "郑店镇", "化楼镇", "孔镇", "铁营镇", "西段乡", "寨头堡乡", NULL },
      4, 100, 20, 14, 1.00, 1.00, 0.9853, { 1.00, 1.00, 1.00, 0.9853, 0.9926, 1.00, 1.00 },
      0.8, 0.00, 0, 1.00, 1.00, 1.00, 0.16, 0.28, 1.00, 1.00 },
    { "371482", "禹城市",
      { "市中街道", "伦镇", "房寺镇", "张庄镇", "辛店镇", "安仁镇", "辛寨镇", "梁家镇", "十里望回族镇",
        "莒镇", "李屯乡", NULL },
      1, 95, 25, 12, 0.48, 0.8615, 0.677, { 1.00, 1.00, 1.00, 0.6172, 0.7761, 0.7067, 0.9555 },
      4.6, 0.20, 0, 0.75, 1.00, 0.97, 0.13, 0.27, 0.88, 0.93 },
    { "371471", "德州天衢新区",
      { "长河街道", "宋官屯街道", "抬头寺镇", "袁桥镇", "赵虎镇", NULL },
      2, 55, 50, 5, 0.70, 1.00, 0.50, { 1.00, 1.00, 0.60, 0.8182, 0.8182, 1.00, 1.00 },
      1.0, 0.10, 0, 0.90, 1.00, 1.00, 0.075, 0.24, 0.92, 0.95 },
};
#define N_COUNTIES ((int)(sizeof COUNTIES / sizeof COUNTIES[0]))

/* ------------------------------------------------------------------------- */
/* Names                                                                      */

static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "杜", "程", "苏", "魏", "吕", "丁", "任", "姚", "卢", "姜", "崔", "范", "石",
    "贾", "付", "白", "孟", "秦", "尹", "薛", "闫", "段", "侯", "史", "郝", "邵", "孔", "武", "房", "牛",
};
static const char *const VILLAGE_PREFIX[] = { "前", "后", "东", "西", "南", "北", "大", "小", "新", "高" };
static const char *const VILLAGE_SUFFIX[] = { "庄", "屯", "集", "店", "楼", "寨", "营", "洼", "桥", "口",
                                              "坊", "官屯", "家", "家庄", "家寨", "家洼", "堤", "铺" };
static const char *const ROADS[] = {
    "新华路", "解放路", "东风路", "建设路", "文化路", "育才路", "胜利路", "人民路", "青年路", "和平路",
    "光明路", "湖滨路", "振华路", "迎宾路", "府前街", "长江路", "黄河路", "泰山路", "红旗路", "工农路",
    "学院路", "北园路", "南环路", "兴隆街", "运河街", "双语", "锦绣", "明珠", "朝阳", "东方红路",
};
static const char *const BRANDS[] = { "育才", "育英", "明德", "博文", "英才", "启明", "华夏", "崇德", "致远", "新星" };

static void cn_number(int n, char *out, size_t len)
{
    static const char *const D[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    if (n <= 10)
        snprintf(out, len, "%s", n == 10 ? "十" : D[n]);
    else if (n < 20)
        snprintf(out, len, "十%s", D[n % 10]);
    else
        snprintf(out, len, "%s十%s", D[n / 10], n % 10 ? D[n % 10] : "");
}

#define PICK(arr) (arr[rng_int(0, (int)(sizeof arr / sizeof arr[0]) - 1)])

static void village_name(char *out, size_t len)
{
    const char *pre = rng_chance(0.35) ? PICK(VILLAGE_PREFIX) : "";
    const char *sur = PICK(SURNAMES);
    const char *suf = PICK(VILLAGE_SUFFIX);
    snprintf(out, len, "%s%s%s", pre, sur, suf);
}

/* ------------------------------------------------------------------------- */
/* Schools                                                                    */

typedef struct {
    int present;
    int students;
    int n_classes;
    int classes[MAX_CLASSES];
    int teachers, qualified, backbone, pe_art, new_entrants, in_zone;
} stage_rec;

typedef struct {
    char code[11];
    char name[160];
    int county;
    int kind, loc, is_public, boarding, town;
    int submitted;
    stage_rec st[2];
    int senior;
    int64_t teach10, sports10; /* tenths of m² */
    int64_t equip;             /* yuan */
    int64_t mm;                /* rooms */
    int n_music, n_art;
    int music10[MAX_ROOMS], art10[MAX_ROOMS];
    int certified, trained, eligible, exchanged, exch_backbone;
    int64_t funds, training;
} school_rec;

static school_rec schools[MAX_SCHOOLS];
static int n_schools;

static int name_taken(const char *name)
{
    for (int i = 0; i < n_schools; i++)
        if (strcmp(schools[i].name, name) == 0)
            return 1;
    return 0;
}

typedef struct {
    int exp_primary;   /* 第N实验小学 */
    int middle;        /* 第N中学 */
    int exp_school;    /* 第N实验学校 */
    int town_primary[MAX_TOWNS], town_junior[MAX_TOWNS], town_nine[MAX_TOWNS];
    int experimental_junior;
    int complete;
} name_counters;

static void make_name(const county_def *c, school_rec *s, name_counters *nc)
{
    char buf[160], num[16], vil[64];
    const char *cn = c->name;
    const char *town = c->towns[s->town];
    for (int attempt = 0;; attempt++) {
        int fallback = attempt > 20;
        switch (s->kind) {
        case K_PRIMARY:
            if (!s->is_public) {
                snprintf(buf, sizeof buf, "%s%s小学", cn, PICK(BRANDS));
            } else if (s->loc == L_URBAN) {
                if (!fallback && (nc->exp_primary < 3 || rng_chance(0.4))) {
                    cn_number(++nc->exp_primary, num, sizeof num);
                    snprintf(buf, sizeof buf, "%s第%s实验小学", cn, num);
                } else {
                    snprintf(buf, sizeof buf, "%s%s小学", cn, PICK(ROADS));
                }
            } else if (s->loc == L_TOWN && !fallback && nc->town_primary[s->town] < 2) {
                int k = ++nc->town_primary[s->town];
                snprintf(buf, sizeof buf, "%s%s%s小学", cn, town, k == 1 ? "中心" : "第二");
            } else {
                village_name(vil, sizeof vil);
                snprintf(buf, sizeof buf, "%s%s%s小学", cn, town, vil);
            }
            break;
        case K_TP:
            village_name(vil, sizeof vil);
            snprintf(buf, sizeof buf, "%s%s%s村教学点", cn, town, vil);
            break;
        case K_JUNIOR:
            if (s->loc == L_URBAN) {
                if (!fallback && !nc->experimental_junior) {
                    nc->experimental_junior = 1;
                    snprintf(buf, sizeof buf, "%s实验中学", cn);
                } else if (!fallback && rng_chance(0.7)) {
                    cn_number(++nc->middle + 1, num, sizeof num);
                    snprintf(buf, sizeof buf, "%s第%s中学", cn, num);
                } else {
                    snprintf(buf, sizeof buf, "%s%s中学", cn, PICK(ROADS));
                }
            } else if (!fallback && nc->town_junior[s->town] < 2) {
                int k = ++nc->town_junior[s->town];
                snprintf(buf, sizeof buf, "%s%s%s中学", cn, town, k == 1 ? "" : "第二");
            } else {
                village_name(vil, sizeof vil);
                snprintf(buf, sizeof buf, "%s%s%s中学", cn, town, vil);
            }
            break;
        case K_NINE:
            if (s->loc == L_URBAN) {
                if (!fallback && rng_chance(0.5)) {
                    cn_number(++nc->exp_school, num, sizeof num);
                    snprintf(buf, sizeof buf, "%s第%s实验学校", cn, num);
                } else {
                    snprintf(buf, sizeof buf, "%s%s学校", cn, PICK(ROADS));
                }
            } else if (s->loc == L_TOWN && !fallback && nc->town_nine[s->town] < 1) {
                nc->town_nine[s->town]++;
                snprintf(buf, sizeof buf, "%s%s实验学校", cn, town);
            } else {
                village_name(vil, sizeof vil);
                snprintf(buf, sizeof buf, "%s%s%s学校", cn, town, vil);
            }
            break;
        case K_TWELVE:
        {
            /* one PRNG draw per statement: argument order is unspecified in C */
            const char *brand = PICK(BRANDS);
            const char *suffix = rng_chance(0.5) ? "外国语学校" : "学校";
            snprintf(buf, sizeof buf, "%s%s%s", cn, brand, suffix);
        }
            break;
        case K_COMPLETE:
            if (!fallback) {
                /* 第一中学 is the classic complete secondary school of a county;
                 * the other 第N中学 (juniors included) count from 第二 */
                cn_number(nc->complete++ == 0 ? 1 : ++nc->middle + 1, num, sizeof num);
                snprintf(buf, sizeof buf, "%s第%s中学", cn, num);
            } else {
                snprintf(buf, sizeof buf, "%s%s中学", cn, PICK(ROADS));
            }
            break;
        case K_SPECIAL:
        default:
            snprintf(buf, sizeof buf, "%s特殊教育学校", cn);
            break;
        }
        if (!name_taken(buf))
            break;
        if (attempt > 200) {
            fprintf(stderr, "demo-gen: cannot find a unique name near %s\n", buf);
            exit(1);
        }
    }
    snprintf(s->name, sizeof s->name, "%s", buf);
}

/* ------------------------------------------------------------------------- */
/* Generating one school's data                                               */

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Fills one stage's classes around a target: `grades` grades of `per_grade`
 * classes each with a typical size `mean`; `limit` is the standard class size;
 * bad: at least one class over it. */
static void gen_classes(stage_rec *st, int grades, int per_grade, int mean, int limit, int bad, int spread)
{
    st->n_classes = 0;
    st->students = 0;
    st->new_entrants = 0;
    for (int g = 0; g < grades; g++) {
        for (int k = 0; k < per_grade && st->n_classes < MAX_CLASSES; k++) {
            int size = mean + rng_int(-spread, spread);
            if (!bad && size > limit)
                size = limit - rng_int(0, 2);
            if (size < 1)
                size = 1;
            if (size > 150)
                size = 150;
            st->classes[st->n_classes++] = size;
            st->students += size;
            if (g == 0)
                st->new_entrants += size;
        }
    }
    if (bad) {
        int over = 0;
        for (int i = 0; i < st->n_classes; i++)
            over |= st->classes[i] > limit;
        if (!over) {
            int i = rng_int(0, st->n_classes - 1);
            int add = limit + rng_int(1, 8) - st->classes[i];
            st->classes[i] += add;
            st->students += add;
            if (i < per_grade)
                st->new_entrants += add;
        }
    }
}

/* Integer minimum count meeting a per-100 standard: ceil(std * S / 100). */
static int need_count(double std, int students)
{
    int n = (int)ceil(std * students / 100.0 - 1e-9);
    return n < 0 ? 0 : n;
}

typedef struct {
    int fail[I_COUNT];   /* 0 meets, else the indicator is missed */
    double ratio[I_COUNT];
    double excess;       /* how far above the standard this school sits */
} school_plan;

static void plan_indicators(const county_def *c, const school_rec *s, school_plan *p)
{
    memset(p, 0, sizeof *p);
    double miss_p = 1.0 - c->all7;
    if (c->crowded)
        miss_p = s->loc == L_URBAN ? 0.55 : 0.12;
    if (s->kind == K_SPECIAL)
        miss_p = 0;
    double w[I_COUNT], total = 0;
    for (int i = 0; i < I_COUNT; i++) {
        w[i] = 1.0 - c->meet[i];
        if (c->crowded && s->loc == L_URBAN && i == I_SPORTS)
            w[i] *= 3;
        total += w[i];
    }
    if (total > 0 && rng_chance(miss_p)) {
        /* misses per missing school, so that the per-indicator shares follow the plan */
        double expect = total / (1.0 - c->all7 > 0.01 ? 1.0 - c->all7 : 0.01);
        if (c->crowded)
            expect = 1.5;
        if (expect < 1)
            expect = 1;
        if (expect > 3)
            expect = 3;
        int k = (int)rng_round(expect);
        for (int j = 0; j < k; j++) {
            double r = rng_unit() * total, acc = 0;
            for (int i = 0; i < I_COUNT; i++) {
                acc += w[i];
                if (w[i] > 0 && r < acc) {
                    p->fail[i] = 1;
                    break;
                }
            }
        }
        for (int i = 0; i < I_COUNT; i++)
            if (p->fail[i])
                p->ratio[i] = rng_chance(c->deep) ? rng_uniform(0.62, 0.84) : rng_uniform(0.87, 0.985);
    }
    /* Spread above the standard: small rural schools sit far above it, big
     * urban ones close to it -- which is what makes coefficients large. */
    double boost = s->loc == L_URBAN ? 0.35 : s->loc == L_TOWN ? 0.8 : 1.5;
    if (s->kind == K_TP)
        boost = 1.9;
    double u = rng_unit();
    p->excess = rng_uniform(0.03, 0.25) + c->spread * boost * u * u * u;
    if (p->excess > 6.5)
        p->excess = 6.5;
}

static void gen_teachers(stage_rec *st, int stage, const school_plan *p, double ratio)
{
    int S = st->students;
    int T = (int)(S / ratio + 0.5);
    if (T < 1)
        T = 1;
    /* better-off schools also have more teachers per student */
    T += (int)rng_round(T * 0.15 * (p->excess > 1 ? 1 : p->excess));
    const int ids[3] = { I_QUAL, I_BACK, I_PEART };
    const double share_lo[3] = { 0.86, 0.15, 0.12 }, share_hi[3] = { 1.0, 0.28, 0.20 };
    int val[3];
    for (int j = 0; j < 3; j++) {
        int i = ids[j];
        int need = need_count(STD[i][stage], S);
        if (p->fail[i]) {
            int v = (int)floor(STD[i][stage] * S * p->ratio[i] / 100.0);
            if (v >= need)
                v = need - 1;
            val[j] = v < 0 ? 0 : v;
        } else {
            int v = (int)(T * rng_uniform(share_lo[j], share_hi[j]) + 0.5);
            val[j] = v < need ? need : v;
        }
        if (val[j] > T)
            T = val[j];
    }
    st->teachers = T;
    st->qualified = val[0];
    st->backbone = val[1];
    st->pe_art = val[2];
}

/* The whole-school physical resources: the binding stage gets std * f. */
static void gen_physical(school_rec *s, const school_plan *p)
{
    int A = s->st[0].present ? s->st[0].students : 0;
    int B = s->st[1].present ? s->st[1].students : 0;
    double W = A + W_JUNIOR * B + W_SENIOR * s->senior;
    for (int i = I_TEACH; i <= I_MM; i++) {
        double need_w = 0; /* resource per weighted student */
        if (A > 0 && STD[i][0] > need_w)
            need_w = STD[i][0];
        if (B > 0 && STD[i][1] / W_JUNIOR > need_w)
            need_w = STD[i][1] / W_JUNIOR;
        double f = p->fail[i] ? p->ratio[i] : 1.0 + p->excess * rng_uniform(0.8, 1.2);
        /* stay clear of the "far outside what schools report" flag */
        if (i == I_TEACH && !p->fail[i]) {
            double cap = 30 / need_w; /* m² per weighted student */
            double cap2 = 40.0 * (A + B) / (W * need_w); /* m² per compulsory student */
            if (cap2 < cap)
                cap = cap2;
            if (cap < 1.02)
                cap = 1.02;
            if (f > cap)
                f = cap;
        }
        double exact = W * need_w / PER[i]; /* the minimum that meets */
        double want = exact * f;
        int64_t v;
        switch (i) {
        case I_TEACH:
        case I_SPORTS:
            v = p->fail[i] ? (int64_t)floor(want * 10) : (int64_t)ceil(want * 10) + 1;
            if (p->fail[i] && v >= (int64_t)ceil(exact * 10))
                v = (int64_t)ceil(exact * 10) - 1;
            if (i == I_TEACH)
                s->teach10 = v < 1 ? 1 : v;
            else
                s->sports10 = v < 1 ? 1 : v;
            break;
        case I_EQUIP:
            v = p->fail[i] ? (int64_t)floor(want / 100) * 100 : (int64_t)ceil(want / 100) * 100 + 100;
            if (p->fail[i] && (double)v >= exact)
                v = (int64_t)floor(exact) - 1;
            s->equip = v < 0 ? 0 : v;
            break;
        default:
            v = p->fail[i] ? (int64_t)floor(want) : (int64_t)ceil(want - 1e-9);
            if (p->fail[i] && (double)v >= exact - 1e-9)
                v = (int64_t)ceil(exact - 1e-9) - 1;
            if (!p->fail[i] && v < 1)
                v = 1;
            s->mm = v < 0 ? 0 : v;
            break;
        }
    }
}

static void gen_school(const county_def *c, school_rec *s)
{
    school_plan plan;
    int class_bad = 0, oversize = 0;
    int ordinary = s->kind != K_TP && s->kind != K_SPECIAL;
    if (ordinary) {
        /* class size: the plan share, carried by the schools big enough to have the problem */
        double bad_p = (1.0 - c->class_ok) / (1.0 - c->tp_pct / 100.0);
        if (s->loc == L_RURAL && bad_p < 1)
            bad_p *= 0.6;
        if (c->crowded && s->loc == L_URBAN)
            bad_p = 0.85;
        class_bad = rng_chance(bad_p > 1 ? 1 : bad_p);
        double over_p = s->loc == L_URBAN ? (1.0 - c->scale_ok) * 2.2 : s->loc == L_TOWN ? (1.0 - c->scale_ok) * 0.8 : 0;
        if (over_p > 0.6)
            over_p = 0.6;
        oversize = rng_chance(over_p);
    }

    int has_p = s->kind == K_PRIMARY || s->kind == K_TP || s->kind == K_NINE || s->kind == K_TWELVE ||
                s->kind == K_SPECIAL;
    int has_j = s->kind == K_JUNIOR || s->kind == K_COMPLETE || s->kind == K_NINE || s->kind == K_TWELVE ||
                s->kind == K_SPECIAL;
    s->st[0].present = has_p;
    s->st[1].present = has_j;

    for (int stage = 0; stage < 2; stage++) {
        stage_rec *st = &s->st[stage];
        if (!st->present)
            continue;
        int grades = stage == 0 ? 6 : 3;
        int limit = stage == 0 ? 45 : 50;
        int target, mean;
        if (s->kind == K_TP) {
            /* a few teaching points are under the 50-student minimum */
            int small = rng_chance(0.13);
            int g = rng_int(3, 6);
            for (;;) {
                gen_classes(st, g, 1, small ? rng_int(5, 11) : rng_int(11, 24), limit, 0, 4);
                if (small ? st->students < 50 : st->students >= 50)
                    break;
            }
            continue;
        }
        if (s->kind == K_SPECIAL) {
            int per_grade = stage == 0 ? rng_int(1, 2) : 1;
            gen_classes(st, grades, per_grade, rng_int(6, 10), 12, 0, 2);
            continue;
        }
        /* target students */
        if (stage == 0) {
            switch (s->loc) {
            case L_URBAN: target = c->crowded ? rng_int(1200, 1950) : rng_int(700, 1500); break;
            case L_TOWN: target = rng_int(350, 950); break;
            default: target = rng_int(90, 400); break;
            }
            if (s->kind == K_NINE)
                target = target * 2 / 3;
            if (s->kind == K_TWELVE)
                target = rng_int(450, 900);
            if (oversize)
                target = s->kind == K_NINE ? rng_int(1500, 1900) : rng_int(2150, 3000);
        } else {
            switch (s->loc) {
            case L_URBAN: target = rng_int(700, 1500); break;
            case L_TOWN: target = rng_int(400, 1000); break;
            default: target = rng_int(150, 450); break;
            }
            if (s->kind == K_NINE)
                target = target * 2 / 3;
            if (s->kind == K_TWELVE)
                target = rng_int(350, 700);
            if (oversize)
                target = s->kind == K_NINE ? rng_int(1000, 1300) : rng_int(2100, 2500);
        }
        /* typical class size */
        if (class_bad) {
            int base = s->loc == L_URBAN ? rng_int(50, 60) : s->loc == L_TOWN ? rng_int(46, 55) : rng_int(42, 47);
            mean = base + (stage == 1 ? 3 : 0);
        } else {
            mean = s->loc == L_URBAN ? rng_int(38, 44) : s->loc == L_TOWN ? rng_int(33, 43) : rng_int(20, 38);
            mean += stage == 1 ? 4 : 0;
        }
        int per_grade = (int)(target / (double)(grades * mean) + 0.5);
        per_grade = clampi(per_grade, 1, MAX_CLASSES / grades);
        if (per_grade == 1 && target < grades * mean)
            mean = clampi(target / grades, 8, mean);
        gen_classes(st, grades, per_grade, mean, limit, class_bad, class_bad ? 6 : 4);
    }
    if (s->kind == K_TWELVE)
        s->senior = rng_int(500, 1300);
    else if (s->kind == K_COMPLETE)
        s->senior = rng_int(800, 2000);

    plan_indicators(c, s, &plan);

    for (int stage = 0; stage < 2; stage++) {
        stage_rec *st = &s->st[stage];
        if (!st->present)
            continue;
        double ratio;
        if (s->kind == K_SPECIAL)
            ratio = rng_uniform(3, 5);
        else if (s->kind == K_TP)
            ratio = rng_uniform(8, 13);
        else if (stage == 0)
            ratio = s->loc == L_URBAN ? rng_uniform(17, 20) : s->loc == L_TOWN ? rng_uniform(15, 18) : rng_uniform(11, 15);
        else
            ratio = s->loc == L_URBAN ? rng_uniform(12, 14) : s->loc == L_TOWN ? rng_uniform(11, 13) : rng_uniform(9, 12);
        gen_teachers(st, stage, &plan, ratio);
    }
    gen_physical(s, &plan);

    /* music and art rooms: max(1, ceil(classes / 12)) of each, >= 96 / 90 m² */
    int classes = s->st[0].n_classes * s->st[0].present + s->st[1].n_classes * s->st[1].present;
    int need = classes <= 12 ? 1 : (classes + 11) / 12;
    double rooms_ok = c->rooms_ok * (s->kind == K_TP && c->rooms_ok < 1 ? 0.6 : 1.0);
    int ok = s->kind == K_SPECIAL || rng_chance(rooms_ok);
    s->n_music = clampi(need + (ok && rng_chance(0.2) ? 1 : 0), 0, MAX_ROOMS);
    s->n_art = clampi(need, 0, MAX_ROOMS);
    for (int r = 0; r < s->n_music; r++)
        s->music10[r] = rng_int(960, 1450);
    for (int r = 0; r < s->n_art; r++)
        s->art10[r] = rng_int(900, 1300);
    if (!ok) {
        switch (rng_int(0, 2)) {
        case 0: /* one room too few (none at all in a small school) */
            if (rng_chance(0.5))
                s->n_music--;
            else
                s->n_art--;
            break;
        case 1: /* a converted classroom that is too small */
            s->music10[0] = rng_int(540, 955);
            break;
        default:
            s->art10[s->n_art - 1] = rng_int(480, 895);
            break;
        }
    }

    /* teachers: certificates, training, exchange */
    int T = s->st[0].teachers * s->st[0].present + s->st[1].teachers * s->st[1].present;
    s->certified = T;
    s->trained = T;
    if (s->kind != K_SPECIAL && !rng_chance(c->cert_ok))
        s->certified = T - rng_int(1, T / 12 + 1);
    if (s->kind != K_SPECIAL && !rng_chance(c->train_ok))
        s->trained = T - rng_int(1, T / 8 + 1);
    if (s->certified < 0)
        s->certified = 0;
    if (s->trained < 0)
        s->trained = 0;
    s->eligible = (int)rng_round(T * rng_uniform(0.12, 0.30));
    s->exchanged = (int)rng_round(s->eligible * c->exch_rate * rng_uniform(0.7, 1.3));
    if (s->exchanged > s->eligible)
        s->exchanged = s->eligible;
    s->exch_backbone = (int)rng_round(s->exchanged * c->exch_backbone * rng_uniform(0.7, 1.3));
    if (s->exch_backbone > s->exchanged)
        s->exch_backbone = s->exchanged;

    /* nearby enrolment: urban and town public non-boarding schools */
    int applies = s->is_public && !s->boarding && (s->loc == L_URBAN || s->loc == L_TOWN);
    int zone_ok = rng_chance(c->zone_ok);
    for (int stage = 0; stage < 2; stage++) {
        stage_rec *st = &s->st[stage];
        if (!st->present)
            continue;
        int ne = st->new_entrants;
        if (!s->is_public)
            st->in_zone = (int)(ne * rng_uniform(0.0, 0.4));
        else if (!applies)
            st->in_zone = (int)(ne * rng_uniform(0.85, 1.0) + 0.5);
        else if (zone_ok)
            st->in_zone = stage == 0 ? ne : ne - ne * rng_int(0, 4) / 100;
        else
            st->in_zone = stage == 0 ? ne - rng_int(1, ne / 20 + 1) : (int)(ne * rng_uniform(0.80, 0.94));
        st->in_zone = clampi(st->in_zone, 0, ne);
    }

    /* public funds and the share spent on teacher training */
    int A = s->st[0].present ? s->st[0].students : 0;
    int B = s->st[1].present ? s->st[1].students : 0;
    int64_t funds = (int64_t)A * rng_int(720, 1000);
    funds += (int64_t)B * rng_int(940, 1300);
    funds += (int64_t)s->senior * rng_int(1000, 1500);
    if (s->kind == K_SPECIAL)
        funds = (int64_t)(A + B) * rng_int(6000, 8000);
    else if (A + B < 100)
        funds = 100 * (int64_t)rng_int(720, 1000); /* small schools are funded as 100 students */
    funds = (funds + 99) / 100 * 100;
    s->funds = funds;
    if (rng_chance(c->budget_ok))
        s->training = (funds * rng_int(50, 90) + 999) / 1000;
    else
        s->training = funds * rng_int(25, 49) / 1000;
}

/* ------------------------------------------------------------------------- */
/* Building the registry                                                      */

static void gen_county(int ci, int *next_seq)
{
    const county_def *c = &COUNTIES[ci];
    int n = c->n_schools;
    int kinds[MAX_SCHOOLS];
    int m = 0;
    int n_tp = (n * c->tp_pct + 50) / 100;
    int n_junior = (n * 15 + 50) / 100;
    int n_nine = (n * 10 + 50) / 100;
    int n_complete = n >= 80 ? 2 : 1;
    int n_twelve = ci == 0 ? 2 : (ci % 3 == 0 ? 0 : 1);
    kinds[m++] = K_SPECIAL;
    for (int i = 0; i < n_complete; i++)
        kinds[m++] = K_COMPLETE;
    for (int i = 0; i < n_twelve; i++)
        kinds[m++] = K_TWELVE;
    for (int i = 0; i < n_tp; i++)
        kinds[m++] = K_TP;
    for (int i = 0; i < n_junior; i++)
        kinds[m++] = K_JUNIOR;
    for (int i = 0; i < n_nine; i++)
        kinds[m++] = K_NINE;
    while (m < n)
        kinds[m++] = K_PRIMARY;
    /* registry order: codes were handed out over the years, kinds are mixed */
    for (int i = m - 1; i > 0; i--) {
        int j = rng_int(0, i);
        int t = kinds[i];
        kinds[i] = kinds[j];
        kinds[j] = t;
    }

    int n_towns = 0;
    while (n_towns < MAX_TOWNS && c->towns[n_towns])
        n_towns++;
    name_counters nc;
    memset(&nc, 0, sizeof nc);
    double urban = c->urban_pct / 100.0;

    for (int i = 0; i < m; i++) {
        school_rec *s = &schools[n_schools];
        memset(s, 0, sizeof *s);
        s->county = ci;
        s->kind = kinds[i];
        s->is_public = 1;
        switch (s->kind) {
        case K_SPECIAL: s->loc = L_URBAN; s->boarding = 1; break;
        case K_COMPLETE: /* the county's 第一中学 is in the county seat */
            s->loc = nc.complete == 0 || rng_chance(0.6) ? L_URBAN : L_TOWN;
            s->boarding = 1;
            break;
        case K_TWELVE: s->loc = L_URBAN; s->is_public = 0; s->boarding = 1; break;
        case K_TP: s->loc = L_RURAL; break;
        case K_JUNIOR:
            s->loc = rng_chance(urban) ? L_URBAN : rng_chance(0.85) ? L_TOWN : L_RURAL;
            s->boarding = s->loc == L_RURAL ? rng_chance(0.7) : s->loc == L_TOWN ? rng_chance(0.35) : 0;
            break;
        case K_NINE:
            s->loc = rng_chance(urban * 0.6) ? L_URBAN : rng_chance(0.5) ? L_TOWN : L_RURAL;
            s->boarding = s->loc == L_URBAN ? 0 : rng_chance(0.5);
            break;
        default:
            s->loc = rng_chance(urban) ? L_URBAN : rng_chance(0.3) ? L_TOWN : L_RURAL;
            if (s->loc == L_URBAN && rng_chance(0.05))
                s->is_public = 0;
            break;
        }
        s->town = s->loc == L_URBAN ? rng_int(0, c->n_urban - 1) : rng_int(c->n_urban, n_towns - 1);
        make_name(c, s, &nc);
        /* 学校标识码: 2137 + county + sequence; gaps are schools closed or
         * merged earlier -- a code is never handed out again */
        *next_seq += rng_chance(0.08) ? rng_int(2, 4) : 1;
        snprintf(s->code, sizeof s->code, "2137%.2s%04u", c->code + 4, (unsigned)*next_seq % 10000u);
        gen_school(c, s);
        s->submitted = !rng_chance(0.015);
        n_schools++;
    }
}

/* ------------------------------------------------------------------------- */
/* Writing                                                                    */

#define N_SUB_COLS 32
static const char *const SUB_COLS[N_SUB_COLS] = {
    "school_code", "period",
    "primary_students", "primary_class_sizes", "primary_teachers", "primary_qualified_teachers",
    "primary_backbone_teachers", "primary_pe_art_teachers", "primary_new_entrants", "primary_new_entrants_in_zone",
    "junior_students", "junior_class_sizes", "junior_teachers", "junior_qualified_teachers",
    "junior_backbone_teachers", "junior_pe_art_teachers", "junior_new_entrants", "junior_new_entrants_in_zone",
    "senior_students", "teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "multimedia_rooms",
    "music_room_areas_m2", "art_room_areas_m2", "certified_teachers", "trained_teachers",
    "exchange_eligible_teachers", "exchanged_teachers", "exchanged_backbone_teachers", "public_funds_yuan",
    "training_spend_yuan",
};
static const char *const SUB_COLS_ZH[N_SUB_COLS] = {
    "学校标识码", "学年",
    "小学在校生数", "小学各班人数", "小学专任教师数", "小学高于规定学历教师数",
    "小学县级以上骨干教师数", "小学体育艺术专任教师数", "小学招生数", "小学划片招生数",
    "初中在校生数", "初中各班人数", "初中专任教师数", "初中高于规定学历教师数",
    "初中县级以上骨干教师数", "初中体育艺术专任教师数", "初中招生数", "初中划片招生数",
    "高中在校生数", "教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "网络多媒体教室数",
    "音乐专用教室面积", "美术专用教室面积", "持证专任教师数", "完成五年360学时培训教师数",
    "符合交流条件教师数", "交流轮岗教师数", "交流骨干教师数", "年度公用经费预算",
    "教师培训经费",
};

#define FIELD_LEN 1024
typedef char row_fields[N_SUB_COLS][FIELD_LEN];

static int col_index(const char *name)
{
    for (int i = 0; i < N_SUB_COLS; i++)
        if (strcmp(SUB_COLS[i], name) == 0)
            return i;
    fprintf(stderr, "demo-gen: internal error: no column %s\n", name);
    exit(2);
}

static void fmt_tenths(char *out, size_t len, int64_t v)
{
    snprintf(out, len, "%lld.%lld", (long long)(v / 10), (long long)(v % 10));
}

static void fmt_list_int(char *out, size_t len, const int *v, int n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%d", i ? ";" : "", v[i]);
}

static void fmt_list_tenths(char *out, size_t len, const int *v, int n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%d.%d", i ? ";" : "", v[i] / 10, v[i] % 10);
}

static void school_fields(const school_rec *s, int period, row_fields f)
{
    int c = 0;
    for (int i = 0; i < N_SUB_COLS; i++)
        f[i][0] = '\0';
    snprintf(f[c++], FIELD_LEN, "%s", s->code);
    snprintf(f[c++], FIELD_LEN, "%d", period);
    for (int stage = 0; stage < 2; stage++) {
        const stage_rec *st = &s->st[stage];
        if (!st->present) {
            c += 8;
            continue;
        }
        snprintf(f[c++], FIELD_LEN, "%d", st->students);
        fmt_list_int(f[c++], FIELD_LEN, st->classes, st->n_classes);
        snprintf(f[c++], FIELD_LEN, "%d", st->teachers);
        snprintf(f[c++], FIELD_LEN, "%d", st->qualified);
        snprintf(f[c++], FIELD_LEN, "%d", st->backbone);
        snprintf(f[c++], FIELD_LEN, "%d", st->pe_art);
        snprintf(f[c++], FIELD_LEN, "%d", st->new_entrants);
        snprintf(f[c++], FIELD_LEN, "%d", st->in_zone);
    }
    if (s->kind == K_TWELVE || s->kind == K_COMPLETE)
        snprintf(f[c], FIELD_LEN, "%d", s->senior);
    c++;
    fmt_tenths(f[c++], FIELD_LEN, s->teach10);
    fmt_tenths(f[c++], FIELD_LEN, s->sports10);
    snprintf(f[c++], FIELD_LEN, "%lld", (long long)s->equip);
    snprintf(f[c++], FIELD_LEN, "%lld", (long long)s->mm);
    fmt_list_tenths(f[c++], FIELD_LEN, s->music10, s->n_music);
    fmt_list_tenths(f[c++], FIELD_LEN, s->art10, s->n_art);
    snprintf(f[c++], FIELD_LEN, "%d", s->certified);
    snprintf(f[c++], FIELD_LEN, "%d", s->trained);
    snprintf(f[c++], FIELD_LEN, "%d", s->eligible);
    snprintf(f[c++], FIELD_LEN, "%d", s->exchanged);
    snprintf(f[c++], FIELD_LEN, "%d", s->exch_backbone);
    snprintf(f[c++], FIELD_LEN, "%lld", (long long)s->funds);
    snprintf(f[c++], FIELD_LEN, "%lld", (long long)s->training);
}

static void write_row(FILE *fp, const char *const *cells, int n)
{
    for (int i = 0; i < n; i++) {
        const char *v = cells[i];
        if (i)
            fputc(',', fp);
        if (strpbrk(v, ",\"\n")) {
            fputc('"', fp);
            for (; *v; v++) {
                if (*v == '"')
                    fputc('"', fp);
                fputc(*v, fp);
            }
            fputc('"', fp);
        } else {
            fputs(v, fp);
        }
    }
    fputc('\n', fp);
}

static void write_fields(FILE *fp, row_fields f)
{
    const char *cells[N_SUB_COLS];
    for (int i = 0; i < N_SUB_COLS; i++)
        cells[i] = f[i];
    write_row(fp, cells, N_SUB_COLS);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        fprintf(stderr, "demo-gen: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return fp;
}

static void close_out(FILE *fp, const char *name)
{
    if (ferror(fp) || fclose(fp) != 0) {
        fprintf(stderr, "demo-gen: error writing %s\n", name);
        exit(1);
    }
}

static void write_counties(const char *dir)
{
    FILE *fp = open_out(dir, "counties.csv");
    const char *hdr[] = { "county_code", "name" };
    write_row(fp, hdr, 2);
    for (int i = 0; i < N_COUNTIES; i++) {
        const char *row[] = { COUNTIES[i].code, COUNTIES[i].name };
        write_row(fp, row, 2);
    }
    close_out(fp, "counties.csv");
}

static void write_schools(const char *dir)
{
    FILE *fp = open_out(dir, "schools.csv");
    const char *hdr[] = { "school_code", "name", "county_code", "kind", "location", "public", "boarding" };
    write_row(fp, hdr, 7);
    for (int i = 0; i < n_schools; i++) {
        const school_rec *s = &schools[i];
        const char *row[] = { s->code, s->name, COUNTIES[s->county].code, KIND_KEYS[s->kind], LOC_KEYS[s->loc],
                              s->is_public ? "1" : "0", s->boarding ? "1" : "0" };
        write_row(fp, row, 7);
    }
    close_out(fp, "schools.csv");
}

static row_fields rowbuf;

static void write_submissions(const char *dir, int period)
{
    char name[64];
    snprintf(name, sizeof name, "submissions-%d.csv", period);
    FILE *fp = open_out(dir, name);
    write_row(fp, SUB_COLS, N_SUB_COLS);
    for (int i = 0; i < n_schools; i++) {
        if (!schools[i].submitted)
            continue;
        school_fields(&schools[i], period, rowbuf);
        write_fields(fp, rowbuf);
    }
    close_out(fp, name);

    /* Chinese headers, first 20 submitted schools of 宁津县 */
    snprintf(name, sizeof name, "submissions-%d-zh-sample.csv", period);
    fp = open_out(dir, name);
    write_row(fp, SUB_COLS_ZH, N_SUB_COLS);
    int written = 0;
    for (int i = 0; i < n_schools && written < 20; i++) {
        if (!schools[i].submitted || strcmp(COUNTIES[schools[i].county].code, "371422") != 0)
            continue;
        school_fields(&schools[i], period, rowbuf);
        write_fields(fp, rowbuf);
        written++;
    }
    close_out(fp, name);
}

/* Finds the n-th submitted school (in registry order) of a kind, from a start. */
static const school_rec *find_school(int kind, int nth)
{
    for (int i = 0; i < n_schools; i++)
        if (schools[i].submitted && schools[i].kind == kind && nth-- == 0)
            return &schools[i];
    fprintf(stderr, "demo-gen: internal error: no school of kind %d\n", kind);
    exit(2);
}

#define SET(col, ...) snprintf(rowbuf[col_index(col)], FIELD_LEN, __VA_ARGS__)
#define GET(col) (rowbuf[col_index(col)])

/* ~10 rows with the mistakes people make; docs/demo-data.md lists them. */
static void write_bad(const char *dir, int period)
{
    FILE *fp = open_out(dir, "submissions-bad.csv");
    write_row(fp, SUB_COLS, N_SUB_COLS);
    const school_rec *s;

    /* 1. more qualified teachers than teachers */
    s = find_school(K_PRIMARY, 3);
    school_fields(s, period, rowbuf);
    SET("primary_qualified_teachers", "%d", s->st[0].teachers + 3);
    write_fields(fp, rowbuf);

    /* 2. class sizes that do not add up to the students */
    s = find_school(K_JUNIOR, 2);
    school_fields(s, period, rowbuf);
    SET("junior_students", "%d", s->st[1].students + 7);
    write_fields(fp, rowbuf);

    /* 3. a well-formed code that is not in the registry */
    s = find_school(K_PRIMARY, 10);
    school_fields(s, period, rowbuf);
    SET("school_code", "2137999901");
    write_fields(fp, rowbuf);

    /* 4. a malformed code (9 digits, typed by hand) */
    s = find_school(K_PRIMARY, 11);
    school_fields(s, period, rowbuf);
    SET("school_code", "%.9s", s->code);
    write_fields(fp, rowbuf);

    /* 5. a negative value */
    s = find_school(K_NINE, 1);
    school_fields(s, period, rowbuf);
    {
        char area[64];
        fmt_tenths(area, sizeof area, s->sports10);
        SET("sports_area_m2", "-%s", area);
    }
    write_fields(fp, rowbuf);

    /* 6. a class of 0 (an empty slot typed into the list) */
    s = find_school(K_PRIMARY, 12);
    school_fields(s, period, rowbuf);
    {
        /* insert ";0" after the first class */
        char *list = GET("primary_class_sizes");
        size_t len = strlen(list);
        char *at = strchr(list, ';');
        if (!at)
            at = list + len;
        if (len + 3 < FIELD_LEN) {
            memmove(at + 2, at, len - (size_t)(at - list) + 1);
            memcpy(at, ";0", 2);
        }
    }
    write_fields(fp, rowbuf);

    /* 7. last century's period */
    s = find_school(K_JUNIOR, 4);
    school_fields(s, 1999, rowbuf);
    write_fields(fp, rowbuf);

    /* 8. more in-zone entrants than entrants */
    s = find_school(K_PRIMARY, 13);
    school_fields(s, period, rowbuf);
    SET("primary_new_entrants_in_zone", "%d", s->st[0].new_entrants + 5);
    write_fields(fp, rowbuf);

    /* 9. more teachers exchanged than were eligible, and backbone over exchanged */
    s = find_school(K_JUNIOR, 5);
    school_fields(s, period, rowbuf);
    SET("exchanged_teachers", "%d", s->eligible + 4);
    SET("exchanged_backbone_teachers", "%d", s->eligible + 6);
    write_fields(fp, rowbuf);

    /* 10. a music room of 1200 m² (the hall's area typed in) and an art room of 0 */
    s = find_school(K_PRIMARY, 14);
    school_fields(s, period, rowbuf);
    SET("music_room_areas_m2", "1200.0");
    SET("art_room_areas_m2", "0");
    write_fields(fp, rowbuf);

    /* 11. a number written out in Chinese */
    s = find_school(K_PRIMARY, 15);
    school_fields(s, period, rowbuf);
    SET("primary_teachers", "二十三");
    write_fields(fp, rowbuf);

    /* 12. training spend larger than the whole public-funds budget */
    s = find_school(K_NINE, 2);
    school_fields(s, period, rowbuf);
    SET("training_spend_yuan", "%lld", (long long)s->funds * 2);
    write_fields(fp, rowbuf);

    /* 13. a primary school reporting a junior stage */
    s = find_school(K_PRIMARY, 16);
    school_fields(s, period, rowbuf);
    SET("junior_students", "45");
    SET("junior_class_sizes", "45");
    SET("junior_teachers", "4");
    SET("junior_qualified_teachers", "4");
    SET("junior_backbone_teachers", "1");
    SET("junior_pe_art_teachers", "1");
    SET("junior_new_entrants", "45");
    SET("junior_new_entrants_in_zone", "45");
    write_fields(fp, rowbuf);

    /* 14. a class of 160 (two classes merged on paper); students adjusted so only that is wrong */
    s = find_school(K_JUNIOR, 6);
    school_fields(s, period, rowbuf);
    {
        char list[FIELD_LEN];
        int n = s->st[1].n_classes;
        int cls[MAX_CLASSES];
        memcpy(cls, s->st[1].classes, sizeof cls);
        int delta = 160 - cls[n - 1];
        cls[n - 1] = 160;
        fmt_list_int(list, sizeof list, cls, n);
        SET("junior_class_sizes", "%s", list);
        SET("junior_students", "%d", s->st[1].students + delta);
    }
    write_fields(fp, rowbuf);

    close_out(fp, "submissions-bad.csv");
}

/* ------------------------------------------------------------------------- */
/* Summary: the generator's own estimate of what the county status will show */

typedef struct {
    double P, x[I_COUNT];
} section;

static double section_value(const school_rec *s, int stage, int i)
{
    const stage_rec *st = &s->st[stage];
    double S = st->students;
    switch (i) {
    case I_QUAL: return st->qualified / S * 100;
    case I_BACK: return st->backbone / S * 100;
    case I_PEART: return st->pe_art / S * 100;
    default: break;
    }
    double A = s->st[0].present ? s->st[0].students : 0;
    double B = s->st[1].present ? s->st[1].students : 0;
    double W = A + W_JUNIOR * B + W_SENIOR * s->senior;
    double R = i == I_TEACH ? s->teach10 / 10.0 : i == I_SPORTS ? s->sports10 / 10.0 : i == I_EQUIP ? (double)s->equip : (double)s->mm;
    return R / W * (stage == 1 ? W_JUNIOR : 1.0) * PER[i];
}

static int meets(double v, double std)
{
    return v >= std || (std - v) <= 1e-9 * std;
}

static void summary(void)
{
    printf("Generator's estimate (its own reading of docs/rules.md; the product's status is the reference)\n");
    printf("%-14s %7s %6s %8s %8s %6s %6s %6s %6s  %-22s %-22s %s\n", "county", "schools", "subm", "primary",
           "junior", "all7%", "pass%", "class%", "scale%", "max CV primary", "max CV junior", "guarantee items failing");
    long tot_s = 0, tot_p = 0, tot_j = 0;
    int tot_n = 0, tot_sub = 0;
    for (int ci = 0; ci < N_COUNTIES; ci++) {
        static section sec[2][MAX_SCHOOLS];
        int nsec[2] = { 0, 0 };
        long stud[2] = { 0, 0 };
        int n = 0, nsub = 0, all7 = 0, passed = 0, nsections = 0, class_ok = 0, scale_ok = 0, ordinary = 0;
        int rooms_bad = 0, cert_bad = 0, train_bad = 0, zone_bad = 0, budget_bad = 0;
        long elig = 0, exch = 0, exbb = 0;
        for (int k = 0; k < n_schools; k++) {
            const school_rec *s = &schools[k];
            if (s->county != ci)
                continue;
            n++;
            if (!s->submitted)
                continue;
            nsub++;
            int classes = 0, cls_ok = 1;
            for (int stage = 0; stage < 2; stage++) {
                const stage_rec *st = &s->st[stage];
                if (!st->present)
                    continue;
                stud[stage] += st->students;
                classes += st->n_classes;
                for (int c = 0; c < st->n_classes; c++)
                    if (st->classes[c] > (stage == 0 ? 45 : 50))
                        cls_ok = 0;
                if (s->kind == K_SPECIAL || (s->kind == K_TP && st->students < 50) || st->students == 0)
                    continue;
                section *x = &sec[stage][nsec[stage]++];
                x->P = st->students;
                int met = 0, floor_ok = 1;
                for (int i = 0; i < I_COUNT; i++) {
                    x->x[i] = section_value(s, stage, i);
                    if (meets(x->x[i], STD[i][stage]))
                        met++;
                    else if (!meets(x->x[i], 0.85 * STD[i][stage]))
                        floor_ok = 0;
                }
                nsections++;
                all7 += met == I_COUNT;
                passed += met >= 6 && floor_ok;
            }
            if (s->kind != K_SPECIAL) {
                ordinary++;
                class_ok += cls_ok;
                int total = (s->st[0].present ? s->st[0].students : 0) + (s->st[1].present ? s->st[1].students : 0);
                int cap = (s->kind == K_NINE || s->kind == K_TWELVE) ? 2500 : 2000;
                scale_ok += total <= cap;
            }
            int need = classes <= 12 ? 1 : (classes + 11) / 12;
            int good_m = 0, good_a = 0;
            for (int r = 0; r < s->n_music; r++)
                good_m += s->music10[r] >= 960;
            for (int r = 0; r < s->n_art; r++)
                good_a += s->art10[r] >= 900;
            if (s->kind != K_SPECIAL) {
                rooms_bad += good_m < need || good_a < need;
                int T = s->st[0].teachers * s->st[0].present + s->st[1].teachers * s->st[1].present;
                cert_bad += s->certified < T;
                train_bad += s->trained < T;
                budget_bad += s->training * 20 < s->funds;
                if (s->is_public && !s->boarding && s->loc != L_RURAL) {
                    int bad = 0;
                    if (s->st[0].present && s->st[0].in_zone < s->st[0].new_entrants)
                        bad = 1;
                    if (s->st[1].present && s->st[1].in_zone * 100 < s->st[1].new_entrants * 95)
                        bad = 1;
                    zone_bad += bad;
                }
            }
            elig += s->eligible;
            exch += s->exchanged;
            exbb += s->exch_backbone;
        }
        char cvtxt[2][64];
        for (int stage = 0; stage < 2; stage++) {
            double worst = 0;
            int wi = 0;
            double P = 0;
            for (int k = 0; k < nsec[stage]; k++)
                P += sec[stage][k].P;
            for (int i = 0; i < I_COUNT; i++) {
                double mean = 0, var = 0;
                for (int k = 0; k < nsec[stage]; k++)
                    mean += sec[stage][k].P * sec[stage][k].x[i] / P;
                for (int k = 0; k < nsec[stage]; k++) {
                    double d = sec[stage][k].x[i] - mean;
                    var += sec[stage][k].P / P * d * d;
                }
                double cv = sqrt(var) / mean;
                if (cv > worst) {
                    worst = cv;
                    wi = i;
                }
            }
            snprintf(cvtxt[stage], sizeof cvtxt[stage], "%.3f %s%s", worst, IND_KEYS[wi],
                     worst > (stage == 0 ? 0.50 : 0.45) ? " !" : "");
        }
        char items[256] = "";
        size_t used = 0;
#define ITEM(cond, txt) \
    if (cond)           \
    used += (size_t)snprintf(items + used, sizeof items - used, "%s%s", used ? " " : "", txt)
        ITEM(rooms_bad, "music_art_rooms");
        ITEM(scale_ok < ordinary, "school_scale");
        ITEM(class_ok < ordinary, "class_size");
        ITEM(cert_bad, "certification");
        ITEM(train_bad, "training");
        ITEM(exch * 10 < elig || exbb * 5 < exch, "exchange");
        ITEM(zone_bad, "nearby");
        ITEM(budget_bad, "training_budget");
        printf("%-14s %7d %6d %8ld %8ld %6.1f %6.1f %6.1f %6.1f  %-22s %-22s %s (exchange %.1f%%/%.1f%%)\n",
               COUNTIES[ci].code, n, nsub, stud[0], stud[1], 100.0 * all7 / nsections, 100.0 * passed / nsections,
               100.0 * class_ok / ordinary, 100.0 * scale_ok / ordinary, cvtxt[0], cvtxt[1], items,
               100.0 * exch / (elig ? elig : 1), 100.0 * exbb / (exch ? exch : 1));
        tot_n += n;
        tot_sub += nsub;
        tot_p += stud[0];
        tot_j += stud[1];
        tot_s += stud[0] + stud[1];
    }
    printf("%-14s %7d %6d %8ld %8ld  (compulsory students %ld)\n", "all", tot_n, tot_sub, tot_p, tot_j, tot_s);
}

/* ------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: junheng-demo-gen [--seed N] [--period YEAR] [--quiet] OUTDIR\n");
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = DEFAULT_SEED;
    int period = DEFAULT_PERIOD, quiet = 0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            seed = strtoull(argv[++i], &end, 10);
            if (errno || *end)
                usage();
        } else if (strcmp(argv[i], "--period") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 2000 || p > 2100)
                usage();
            period = (int)p;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' || dir) {
            usage();
        } else {
            dir = argv[i];
        }
    }
    if (!dir)
        usage();
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "demo-gen: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    rng_state = seed;
    int seq[N_COUNTIES];
    for (int ci = 0; ci < N_COUNTIES; ci++) {
        seq[ci] = 0;
        gen_county(ci, &seq[ci]);
    }
    write_counties(dir);
    write_schools(dir);
    write_submissions(dir, period);
    write_bad(dir, period);
    if (!quiet)
        summary();
    return 0;
}
