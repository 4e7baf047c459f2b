/* sarif.c - collect diagnostics and write them as SARIF 2.1.0 or plain JSON
 * (see sarif.h).  Strings go through jsonout (always valid JSON, even for
 * bytes that are not UTF-8); file names become percent-encoded relative URIs. */
#include "sarif.h"

#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "lint.h"

struct sarif_item {
    enum diag_level level;
    char *code;      /* NULL for notes and plain messages */
    char *file;      /* NULL when the record has no file */
    unsigned line;   /* 0: no position */
    unsigned col;    /* byte column */
    unsigned col16;  /* column in UTF-16 code units, as the log declares */
    char *message;
};

void sarif_init(struct sarif_log *s)
{
    memset(s, 0, sizeof *s);
}

void sarif_fini(struct sarif_log *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].code);
        free(s->items[i].file);
        free(s->items[i].message);
    }
    free(s->items);
    memset(s, 0, sizeof *s);
}

static char *dup_or_null(const char *s, int *fail)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *fail = 1;
    return d;
}

void sarif_sink(void *arg, const struct diag_record *r)
{
    struct sarif_log *s = arg;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 32;
        struct sarif_item *p = ncap < ((size_t)-1) / sizeof *p ? realloc(s->items, ncap * sizeof *p) : NULL;
        if (!p) {
            s->oom = 1;
            return;
        }
        s->items = p;
        s->cap = ncap;
    }
    int fail = 0;
    struct sarif_item it = {
        .level = r->level,
        .code = dup_or_null(r->code, &fail),
        .file = dup_or_null(r->loc.file, &fail),
        .line = r->loc.line,
        .col = r->loc.col,
        .col16 = r->col_utf16,
        .message = dup_or_null(r->message ? r->message : "", &fail),
    };
    if (fail) {
        free(it.code);
        free(it.file);
        free(it.message);
        s->oom = 1;
        return;
    }
    s->items[s->n++] = it;
}

static const char *level_name(enum diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/* Writes file as a URI: a relative reference (resolved against %SRCROOT%),
 * or a file:// URI for an absolute path.  RFC 3986 unreserved bytes and '/'
 * stay as they are, everything else is percent-encoded. */
static void write_uri(FILE *out, const char *file)
{
    fputs(file[0] == '/' ? "\"file://" : "\"", out);
    for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    fputc('"', out);
}

static void write_physical(FILE *out, const struct sarif_item *it)
{
    fputs("\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
    write_uri(out, it->file);
    fputs(it->file[0] == '/' ? "}" : ", \"uriBaseId\": \"%SRCROOT%\"}", out);
    if (it->line)
        fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}", it->line,
                it->col16 ? it->col16 : 1);
    fputc('}', out);
}

/* The level of the first result reported with code id (rules that are not
 * lint rules take the level their results have: validation warnings such as
 * variable-without-version are warnings, the rest errors). */
static enum diag_level first_level(const struct sarif_log *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].code && strcmp(s->items[i].code, id) == 0)
            return s->items[i].level;
    return DIAG_ERROR;
}

/* Rule ids: every lint rule first, then other codes in order of appearance.
 * Returns the count written to ids (at most max). */
static size_t collect_rules(const struct sarif_log *s, const char **ids, size_t max)
{
    size_t nl, n = 0;
    const struct lint_rule *lr = lint_rules(&nl);
    for (size_t i = 0; i < nl && n < max; i++)
        ids[n++] = lr[i].code;
    for (size_t i = 0; i < s->n && n < max; i++) {
        const char *c = s->items[i].code;
        size_t k = 0;
        if (!c)
            continue;
        while (k < n && strcmp(ids[k], c) != 0)
            k++;
        if (k == n)
            ids[n++] = c;
    }
    return n;
}

static size_t rule_index(const char **ids, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], code) == 0)
            return i;
    return 0;
}

/* PascalCase of a kebab-case code ("json-syntax" -> "JsonSyntax"). */
static void write_pascal(FILE *out, const char *code)
{
    fputc('"', out);
    for (int up = 1; *code; code++) {
        if (*code == '-' || *code == '_') {
            up = 1;
            continue;
        }
        unsigned char ch = (unsigned char)*code;
        if (ch < 0x20 || ch == '"' || ch == '\\' || ch >= 0x80)
            continue;
        fputc(up && ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch, out);
        up = 0;
    }
    fputc('"', out);
}

static void write_rules(FILE *out, const struct sarif_log *s, const char **ids, size_t n)
{
    fputs("\"rules\": [", out);
    for (size_t i = 0; i < n; i++) {
        const struct lint_rule *r = lint_rule_find(ids[i]);
        fputs(i ? ",\n        {\"id\": " : "\n        {\"id\": ", out);
        jsonout_str(out, ids[i]);
        fputs(", \"name\": ", out);
        if (r)
            jsonout_str(out, r->name);
        else
            write_pascal(out, ids[i]);
        fputs(", \"shortDescription\": {\"text\": ", out);
        jsonout_str(out, r ? r->summary : ids[i]);
        fputc('}', out);
        if (r) {
            fputs(", \"fullDescription\": {\"text\": ", out);
            jsonout_str(out, r->help);
            fputs("}, \"help\": {\"text\": ", out);
            jsonout_str(out, r->help);
            fputc('}', out);
        }
        fprintf(out, ", \"defaultConfiguration\": {\"level\": \"%s\"}}",
                r ? "warning" : level_name(first_level(s, ids[i])));
    }
    fputs("]", out);
}

/* Writes the notes that follow item i as relatedLocations (if any have a file). */
static void write_related(FILE *out, const struct sarif_log *s, size_t i)
{
    size_t k = i + 1, id = 1;
    int any = 0;
    for (; k < s->n && s->items[k].level == DIAG_NOTE && !s->items[k].code; k++) {
        const struct sarif_item *nt = &s->items[k];
        if (!nt->file)
            continue;
        fputs(any ? ", " : ", \"relatedLocations\": [", out);
        fprintf(out, "{\"id\": %zu, ", id++);
        write_physical(out, nt);
        fputs(", \"message\": {\"text\": ", out);
        jsonout_str(out, nt->message);
        fputs("}}", out);
        any = 1;
    }
    if (any)
        fputc(']', out);
}

/* The end of a result or notification: its message text (closing the
 * "message" object) and, when it has a file, its one location. */
static void write_message_location(FILE *out, const struct sarif_item *it)
{
    jsonout_str(out, it->message);
    fputc('}', out);
    if (it->file) {
        fputs(", \"locations\": [{", out);
        write_physical(out, it);
        fputs("}]", out);
    }
}

static void write_results(FILE *out, const struct sarif_log *s, const char **ids, size_t nids)
{
    int first = 1;
    fputs("\"results\": [", out);
    for (size_t i = 0; i < s->n; i++) {
        const struct sarif_item *it = &s->items[i];
        if (!it->code)
            continue;  /* notes go with their result; plain messages are notifications */
        fputs(first ? "\n        {" : ",\n        {", out);
        first = 0;
        fputs("\"ruleId\": ", out);
        jsonout_str(out, it->code);
        fprintf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ",
                rule_index(ids, nids, it->code), level_name(it->level));
        write_message_location(out, it);
        write_related(out, s, i);
        fputc('}', out);
    }
    fputs("]", out);
}

/* Plain messages (no code, not a note that follows a coded record). */
static void write_notifications(FILE *out, const struct sarif_log *s)
{
    int first = 1;
    for (size_t i = 0; i < s->n; i++) {
        const struct sarif_item *it = &s->items[i];
        if (it->code || (it->level == DIAG_NOTE && i > 0))
            continue;
        fputs(first ? ", \"toolExecutionNotifications\": [" : ", ", out);
        first = 0;
        fprintf(out, "{\"level\": \"%s\", \"message\": {\"text\": ", level_name(it->level));
        write_message_location(out, it);
        fputc('}', out);
    }
    if (!first)
        fputc(']', out);
}

int sarif_write(const struct sarif_log *s, const struct sarif_tool *t, FILE *out)
{
    size_t nl, errors = 0;
    lint_rules(&nl);
    const char **ids = malloc((nl + s->n + 1) * sizeof *ids);
    if (!ids)
        return -1;
    size_t nids = collect_rules(s, ids, nl + s->n);
    for (size_t i = 0; i < s->n; i++)
        errors += s->items[i].level == DIAG_ERROR;
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
          "    \"tool\": {\"driver\": {\"name\": \"pdtc\", \"version\": ", out);
    jsonout_str(out, t && t->version ? t->version : "unknown");
    if (t && t->catalog_version) {
        fputs(", \"properties\": {\"iamCatalog\": ", out);
        jsonout_str(out, t->catalog_version);
        fputc('}', out);
    }
    fputs(",\n      ", out);
    write_rules(out, s, ids, nids);
    fputs("}},\n    \"columnKind\": \"utf16CodeUnits\",\n", out);
    fprintf(out, "    \"invocations\": [{\"executionSuccessful\": %s", errors ? "false" : "true");
    write_notifications(out, s);
    fputs("}],\n    ", out);
    write_results(out, s, ids, nids);
    fputs("\n  }]\n}\n", out);
    free(ids);
    return ferror(out) ? -1 : 0;
}

int sarif_write_json(const struct sarif_log *s, FILE *out)
{
    size_t errors = 0, warnings = 0;
    int first = 1;
    fputs("{\"diagnostics\": [", out);
    for (size_t i = 0; i < s->n; i++) {
        const struct sarif_item *it = &s->items[i];
        if (it->level == DIAG_NOTE && i > 0 && !it->code)
            continue;  /* written with the record it follows */
        errors += it->level == DIAG_ERROR;
        warnings += it->level == DIAG_WARNING;
        fputs(first ? "\n  {\"file\": " : ",\n  {\"file\": ", out);
        first = 0;
        jsonout_str(out, it->file);
        fprintf(out, ", \"line\": %u, \"col\": %u, \"severity\": \"%s\", \"code\": ", it->line,
                it->col, level_name(it->level));
        jsonout_str(out, it->code);
        fputs(", \"message\": ", out);
        jsonout_str(out, it->message);
        fputs(", \"notes\": [", out);
        for (size_t k = i + 1; k < s->n && s->items[k].level == DIAG_NOTE && !s->items[k].code; k++) {
            const struct sarif_item *nt = &s->items[k];
            fputs(k > i + 1 ? ", {\"file\": " : "{\"file\": ", out);
            jsonout_str(out, nt->file);
            fprintf(out, ", \"line\": %u, \"col\": %u, \"message\": ", nt->line, nt->col);
            jsonout_str(out, nt->message);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fprintf(out, "%s], \"errors\": %zu, \"warnings\": %zu}\n", first ? "" : "\n", errors, warnings);
    return ferror(out) ? -1 : 0;
}
