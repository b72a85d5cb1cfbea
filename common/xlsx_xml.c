/* xlsx_xml.c -- the XML parts of an .xlsx workbook with libxml2's streaming
 * reader. See xlsx_xml.h. Nothing here prints: libxml2's own messages are
 * turned off and its first error is kept for the reason returned. */
#include "xlsx_xml.h"
#include "i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "text_buf.h"
#include "xlsx_table.h"

/* Writes a printf-formatted reason into err. */
static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- small growable things ------------------------------------------------ */

/* See xlsx_xml.h. */
int xlsx_strings_add(xlsx_strings *self, const char *s, size_t len)
{
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 16;
        char **p = realloc(self->s, cap * sizeof *p);
        if (!p)
            return -1;
        self->s = p;
        self->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    self->s[self->n++] = c;
    return 0;
}

/* See xlsx_xml.h. */
void xlsx_strings_clear(xlsx_strings *self)
{
    for (size_t i = 0; i < self->n; i++)
        free(self->s[i]);
    free(self->s);
    *self = (xlsx_strings){ 0 };
}

/* See xlsx_xml.h. */
void xlsx_sheet_clear(xlsx_sheet *self)
{
    for (size_t i = 0; i < self->n_cells; i++)
        free(self->cells[i].text);
    free(self->cells);
    free(self->merges);
    *self = (xlsx_sheet){ 0 };
}

/* Text being gathered from text nodes. */

/* ---- the reader --------------------------------------------------------- */

/* The first error libxml2 reported. */
typedef struct {
    char msg[160];
    int line;
} xml_error;

/* libxml2's error callback: keeps the first message, prints nothing. */
static void on_xml_error(void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
    xml_error *e = arg;
    if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)
        return;
    if (e->msg[0])
        return;
    snprintf(e->msg, sizeof e->msg, "%s", msg ? msg : "");
    size_t n = strlen(e->msg);
    while (n > 0 && (e->msg[n - 1] == '\n' || e->msg[n - 1] == ' '))
        e->msg[--n] = '\0';
    e->line = loc ? xmlTextReaderLocatorLineNumber(loc) : 0;
}

/* A reader over xml, silent, no network, no entity expansion. NULL when the
 * part is too large for libxml2's int length or out of memory. */
static xmlTextReaderPtr reader_open(const char *xml, size_t len, xml_error *e)
{
    if (len > INT_MAX)
        return NULL;
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r)
        xmlTextReaderSetErrorHandler(r, on_xml_error, e);
    return r;
}

/* Advances the reader. Returns 1 on a node, 0 at the end, -1 on an error
 * (the reason in err, naming the part). */
static int reader_next(xmlTextReaderPtr r, const char *part, xml_error *e, char *err, size_t errlen)
{
    int rc = xmlTextReaderRead(r);
    if (rc == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        set_err(err, errlen, _("%s has a DTD: refused"), part);
        return -1;
    }
    if (rc < 0 || e->msg[0]) {
        set_err(err, errlen, _("%s is not well-formed XML (line %d: %s)"), part, e->line, e->msg[0] ? e->msg : "parse error");
        return -1;
    }
    return rc;
}

/* Whether the node is an element start / end with this local name. */
static int is_start(xmlTextReaderPtr r, const char *name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), name) == 0;
}
static int is_end(xmlTextReaderPtr r, const char *name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), name) == 0;
}

/* Whether the node is text (plain, whitespace or CDATA). */
static int is_text(xmlTextReaderPtr r)
{
    int t = xmlTextReaderNodeType(r);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           t == XML_READER_TYPE_WHITESPACE;
}

/* The value of the current element's attribute with this local name
 * (namespaced: only an attribute in a namespace), as a new string
 * (caller frees with free), or NULL when absent or out of memory. */
static char *attr_dup(xmlTextReaderPtr r, const char *local, int namespaced)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return NULL;
    do {
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        int has_ns = xmlTextReaderConstNamespaceUri(r) != NULL;
        if (name && strcmp(name, local) == 0 && has_ns == namespaced) {
            const char *val = (const char *)xmlTextReaderConstValue(r);
            v = strdup(val ? val : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return v;
}

/* See xlsx_xml.h. */
int xlsx_read_workbook(const char *xml, size_t len, xlsx_strings *names, xlsx_strings *rel_ids, char *err,
                       size_t errlen)
{
    xml_error e = { "", 0 };
    xmlTextReaderPtr r = reader_open(xml, len, &e);
    if (!r) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    int rc;
    while ((rc = reader_next(r, "xl/workbook.xml", &e, err, errlen)) == 1) {
        if (!is_start(r, "sheet"))
            continue;
        char *name = attr_dup(r, "name", 0), *id = attr_dup(r, "id", 1);
        int bad = !name || !id || xlsx_strings_add(names, name, strlen(name)) != 0 ||
                  xlsx_strings_add(rel_ids, id, strlen(id)) != 0;
        free(name);
        free(id);
        if (bad) {
            set_err(err, errlen, _("a sheet of xl/workbook.xml has no name or r:id"));
            rc = -1;
            break;
        }
    }
    xmlFreeTextReader(r);
    return rc < 0 ? -1 : 0;
}

/* See xlsx_xml.h. */
int xlsx_read_rels(const char *xml, size_t len, xlsx_strings *ids, xlsx_strings *types, xlsx_strings *targets,
                   char *err, size_t errlen)
{
    xml_error e = { "", 0 };
    xmlTextReaderPtr r = reader_open(xml, len, &e);
    if (!r) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    int rc;
    while ((rc = reader_next(r, "xl/_rels/workbook.xml.rels", &e, err, errlen)) == 1) {
        if (!is_start(r, "Relationship"))
            continue;
        char *id = attr_dup(r, "Id", 0), *type = attr_dup(r, "Type", 0), *target = attr_dup(r, "Target", 0);
        int bad = 0;
        if (id && type && target)
            bad = xlsx_strings_add(ids, id, strlen(id)) != 0 || xlsx_strings_add(types, type, strlen(type)) != 0 ||
                  xlsx_strings_add(targets, target, strlen(target)) != 0;
        free(id);
        free(type);
        free(target);
        if (bad) {
            set_err(err, errlen, _("out of memory"));
            rc = -1;
            break;
        }
    }
    xmlFreeTextReader(r);
    return rc < 0 ? -1 : 0;
}

/* Where the reader is inside a string item (<si> or <is>): gathering the
 * text of its <t> elements, skipping phonetic runs (<rPh>). */
typedef struct {
    int in_t, in_rph;
    text_buf text;
} string_state;

/* Feeds one node to a string item being read. */
static void string_node(xmlTextReaderPtr r, string_state *s)
{
    if (is_start(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
        s->in_rph++;
    else if (is_end(r, "rPh") && s->in_rph > 0)
        s->in_rph--;
    else if (is_start(r, "t") && !xmlTextReaderIsEmptyElement(r))
        s->in_t = 1;
    else if (is_end(r, "t"))
        s->in_t = 0;
    else if (s->in_t && !s->in_rph && is_text(r)) {
        const char *v = (const char *)xmlTextReaderConstValue(r);
        text_buf_add_str(&s->text, v ? v : "");
    }
}

/* Adds the finished string of s to out (at most max strings). Returns 0 or
 * -1 with the reason in err. */
static int shared_string_push(string_state *s, xlsx_strings *out, size_t max, char *err, size_t errlen)
{
    if (out->n >= max) {
        set_err(err, errlen, _("more than %zu shared strings"), max);
        return -1;
    }
    if (s->text.oom || xlsx_strings_add(out, s->text.p ? s->text.p : "", s->text.n) != 0) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    s->in_t = s->in_rph = 0;
    s->text.n = 0;
    return 0;
}

/* See xlsx_xml.h. */
int xlsx_read_shared_strings(const char *xml, size_t len, size_t max_strings, xlsx_strings *out, char *err,
                             size_t errlen)
{
    xml_error e = { "", 0 };
    xmlTextReaderPtr r = reader_open(xml, len, &e);
    if (!r) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    string_state s = { 0 };
    int in_si = 0, rc;
    while ((rc = reader_next(r, "xl/sharedStrings.xml", &e, err, errlen)) == 1) {
        if (is_start(r, "si")) {
            in_si = !xmlTextReaderIsEmptyElement(r);
            if (!in_si && shared_string_push(&s, out, max_strings, err, errlen) != 0)
                rc = -1;
        } else if (in_si && is_end(r, "si")) {
            in_si = 0;
            if (shared_string_push(&s, out, max_strings, err, errlen) != 0)
                rc = -1;
        } else if (in_si) {
            string_node(r, &s);
        }
        if (rc < 0)
            break;
    }
    free(s.text.p);
    xmlFreeTextReader(r);
    return rc < 0 ? -1 : 0;
}

/* See xlsx_xml.h. */
int xlsx_parse_ref(const char *ref, uint32_t *row, uint32_t *col)
{
    const char *p = ref;
    uint64_t c = 0, rw = 0;
    if (*p == '$')
        p++;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        c = c * 26 + (uint64_t)((*p | 0x20) - 'a' + 1);
        if (c > XLSX_MAX_COL)
            return -1;
    }
    if (*p == '$')
        p++;
    for (; *p >= '0' && *p <= '9'; p++) {
        rw = rw * 10 + (uint64_t)(*p - '0');
        if (rw > XLSX_MAX_ROW)
            return -1;
    }
    if (*p != '\0' || c == 0 || rw == 0)
        return -1;
    *row = (uint32_t)rw;
    *col = (uint32_t)c;
    return 0;
}

/* ---- a worksheet ----------------------------------------------------------- */

/* Where the reader is in a worksheet. */
typedef struct {
    const xlsx_strings *sst;
    size_t max_cells;
    xlsx_sheet *out;
    uint32_t row, col;       /* the current row; the last cell's column */
    char type[16];           /* the current cell's t attribute ("n" when absent) */
    int in_c, in_v, in_is;
    text_buf v;              /* the text of <v> */
    string_state is;         /* an inline string */
} sheet_state;

/* The text of the finished cell (before trimming; buf: XLSX_NUMBER_TEXT_MAX
 * bytes); NULL with the reason in err for a shared-string index out of range. */
static const char *cell_value(sheet_state *s, char *buf, char *err, size_t errlen)
{
    const char *v = s->v.p ? s->v.p : "";
    if (strcmp(s->type, "inlineStr") == 0)
        return s->is.text.p ? s->is.text.p : "";
    if (strcmp(s->type, "s") == 0) {
        char *end = NULL;
        errno = 0;
        unsigned long long i = strtoull(v, &end, 10);
        if (end == v || *end != '\0' || errno || i >= s->sst->n) {
            set_err(err, errlen, _("a cell refers to shared string '%.20s', which does not exist"), v);
            return NULL;
        }
        return s->sst->s[i];
    }
    if (strcmp(s->type, "b") == 0)
        return strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
    if (strcmp(s->type, "n") == 0)
        return xlsx_number_text(v, buf);
    return v; /* str (a formula's text), e (#DIV/0!), d (an ISO date) */
}

/* Stores the finished cell: line breaks and tabs become spaces, surrounding
 * spaces are trimmed, an empty cell is not kept. Returns 0, or -1 with the
 * reason in err. */
static int cell_finish(sheet_state *s, char *err, size_t errlen)
{
    char buf[XLSX_NUMBER_TEXT_MAX];
    if (s->v.oom || s->is.text.oom) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    const char *v = cell_value(s, buf, err, errlen);
    if (!v)
        return -1;
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (n == 0)
        return 0;
    xlsx_sheet *o = s->out;
    o->text_bytes += n + 1;
    if (o->text_bytes > XLSX_TEXT_MAX) {
        set_err(err, errlen, _("the sheet holds more than %u MiB of text"), XLSX_TEXT_MAX >> 20);
        return -1;
    }
    if (o->n_cells >= s->max_cells) {
        set_err(err, errlen, _("the sheet has more than %zu cells"), s->max_cells);
        return -1;
    }
    if (o->n_cells == o->cap_cells) {
        size_t cap = o->cap_cells ? o->cap_cells * 2 : 256;
        xlsx_cell *p = realloc(o->cells, cap * sizeof *p);
        if (!p) {
            set_err(err, errlen, _("out of memory"));
            return -1;
        }
        o->cells = p;
        o->cap_cells = cap;
    }
    char *text = malloc(n + 1);
    if (!text) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        text[i] = (v[i] == '\r' || v[i] == '\n' || v[i] == '\t') ? ' ' : v[i];
    text[n] = '\0';
    o->cells[o->n_cells++] = (xlsx_cell){ s->row, s->col, text };
    return 0;
}

/* A <c> element starts: its position (its r, else the next column of the
 * current row) and type. Returns 0, or -1 with the reason in err. */
static int cell_start(xmlTextReaderPtr r, sheet_state *s, char *err, size_t errlen)
{
    char *ref = attr_dup(r, "r", 0), *type = attr_dup(r, "t", 0);
    uint32_t row = s->row ? s->row : 1, col = s->col + 1;
    int rc = 0;
    if (ref && xlsx_parse_ref(ref, &row, &col) != 0) {
        set_err(err, errlen, _("bad cell reference '%.16s'"), ref);
        rc = -1;
    } else if (!ref && col > XLSX_MAX_COL) {
        set_err(err, errlen, _("row %u has more than %u columns"), row, XLSX_MAX_COL);
        rc = -1;
    }
    s->row = row;
    s->col = col;
    snprintf(s->type, sizeof s->type, "%s", type ? type : "n");
    free(ref);
    free(type);
    s->v.n = 0;
    if (s->v.p)
        s->v.p[0] = '\0';
    s->is = (string_state){ .text = s->is.text };
    s->is.text.n = 0;
    if (s->is.text.p)
        s->is.text.p[0] = '\0';
    s->in_c = !xmlTextReaderIsEmptyElement(r);
    s->in_v = s->in_is = 0;
    return rc;
}

/* A <mergeCell ref="A1:C2"> element: adds the range. Returns 0, or -1 with
 * the reason in err. */
static int merge_add(xmlTextReaderPtr r, xlsx_sheet *o, char *err, size_t errlen)
{
    char *ref = attr_dup(r, "ref", 0);
    char *colon = ref ? strchr(ref, ':') : NULL;
    if (!colon) {
        free(ref);
        return 0;
    }
    *colon = '\0';
    xlsx_range m;
    if (xlsx_parse_ref(ref, &m.row1, &m.col1) != 0 || xlsx_parse_ref(colon + 1, &m.row2, &m.col2) != 0 ||
        m.row2 < m.row1 || m.col2 < m.col1) {
        set_err(err, errlen, _("bad merged range '%.16s'"), ref);
        free(ref);
        return -1;
    }
    free(ref);
    if (o->n_merges == o->cap_merges) {
        size_t cap = o->cap_merges ? o->cap_merges * 2 : 16;
        xlsx_range *p = realloc(o->merges, cap * sizeof *p);
        if (!p) {
            set_err(err, errlen, _("out of memory"));
            return -1;
        }
        o->merges = p;
        o->cap_merges = cap;
    }
    o->merges[o->n_merges++] = m;
    return 0;
}

/* Feeds one node of the worksheet. Returns 0, or -1 with the reason in err. */
static int sheet_node(xmlTextReaderPtr r, sheet_state *s, char *err, size_t errlen)
{
    if (s->in_c) {
        if (is_end(r, "c")) {
            s->in_c = 0;
            return cell_finish(s, err, errlen);
        }
        if (is_start(r, "v") && !xmlTextReaderIsEmptyElement(r))
            s->in_v = 1;
        else if (is_end(r, "v"))
            s->in_v = 0;
        else if (is_start(r, "is") && !xmlTextReaderIsEmptyElement(r))
            s->in_is = 1;
        else if (is_end(r, "is"))
            s->in_is = 0;
        else if (s->in_is)
            string_node(r, &s->is);
        else if (s->in_v && is_text(r)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            text_buf_add_str(&s->v, v ? v : "");
        }
        return 0;
    }
    if (is_start(r, "row")) {
        char *ref = attr_dup(r, "r", 0);
        unsigned long n = ref ? strtoul(ref, NULL, 10) : (unsigned long)s->row + 1;
        free(ref);
        if (n == 0 || n > XLSX_MAX_ROW) {
            set_err(err, errlen, _("a row number is out of range"));
            return -1;
        }
        s->row = (uint32_t)n;
        s->col = 0;
    } else if (is_start(r, "c")) {
        return cell_start(r, s, err, errlen);
    } else if (is_start(r, "mergeCell")) {
        return merge_add(r, s->out, err, errlen);
    }
    return 0;
}

/* See xlsx_xml.h. */
int xlsx_read_sheet(const char *xml, size_t len, const xlsx_strings *sst, size_t max_cells, xlsx_sheet *out,
                    char *err, size_t errlen)
{
    xml_error e = { "", 0 };
    xmlTextReaderPtr r = reader_open(xml, len, &e);
    if (!r) {
        set_err(err, errlen, _("out of memory"));
        return -1;
    }
    sheet_state s = { .sst = sst, .max_cells = max_cells, .out = out };
    int rc;
    while ((rc = reader_next(r, "worksheet", &e, err, errlen)) == 1)
        if (sheet_node(r, &s, err, errlen) != 0) {
            rc = -1;
            break;
        }
    free(s.v.p);
    free(s.is.text.p);
    xmlFreeTextReader(r);
    return rc < 0 ? -1 : 0;
}
