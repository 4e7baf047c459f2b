/* cli_dump.c - `pdtc dump TABLE`: a readable listing of a compiled table:
 * header, section directory with sizes, statements with their patterns and
 * provenance, hash-table load, automata sizes and the automata/fallback
 * coverage of resource patterns.  The table is opened (and so fully
 * validated) with pdt_open_mem first; the listing then reads the validated
 * handle through the runtime's introspection (runtime/introspect.h).  It
 * decides nothing. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "introspect.h"
#include "jsonout.h"
#include "pdt.h"

static void cli_dump_help(FILE *f)
{
    fputs("usage: pdtc dump TABLE\n"
          "\n"
          "Lists a compiled decision table: header, sections and sizes, statements\n"
          "with provenance, hash-table load, automata sizes and how many resource\n"
          "patterns became automata and how many fell back to the glob matcher.\n"
          "\n"
          "Exit status: 0 listed, 1 not a valid table, 2 usage, 3 I/O error.\n",
          f);
}

static void cli_dump_header(const struct pdt_table *t, const struct pdt_info *in, const char *name)
{
    uint32_t i, id, flags, off, len;

    printf("table %s: %" PRIu64 " bytes, format %u.%u, checksum %016" PRIx64 "%s\n", name, in->total_len,
           in->major, in->minor, in->checksum, in->stripped ? ", stripped (no provenance)" : "");
    printf("sections: %u\n", (unsigned)in->nsections);
    printf("  %-6s %-20s %10s %10s  %s\n", "id", "name", "offset", "bytes", "flags");
    for (i = 0; pdt_introspect_section(t, i, &id, &flags, &off, &len) == 0; i++)
        printf("  0x%02x   %-20s %10u %10u  %s\n", (unsigned)id, pdt_introspect_section_name(id), (unsigned)off,
               (unsigned)len, (flags & PDT_SF_REQUIRED) ? "required" : "optional");
}

/* Prints the action and resource patterns of statement i. */
static void cli_dump_patterns(const struct pdt_table *t, uint32_t i, const struct pdt_stmt_info *s)
{
    const char *small[64], **acts = small;
    uint32_t j, n;

    /* One search of the action index per statement (not one per pattern). */
    n = pdt_introspect_stmt_actions(t, i, small, 64);
    if (n > 64) {
        acts = malloc((size_t)n * sizeof *acts);
        if (acts)
            n = pdt_introspect_stmt_actions(t, i, acts, n);
        else {
            acts = small;
            n = 64;
        }
    }
    printf("      %s:", s->not_action ? "NotAction" : "Action");
    for (j = 0; j < n; j++) {
        putchar(' ');
        jsonout_str(stdout, acts[j]);
    }
    if (acts != small)
        free(acts);
    printf("\n      %s:", s->not_resource ? "NotResource" : "Resource");
    for (j = 0; j < s->nresources; j++) {
        enum pdt_res_kind kind;
        const char *pat = NULL;
        uint32_t tmpl = 0;
        putchar(' ');
        if (pdt_introspect_stmt_resource(t, i, j, &kind, &pat, &tmpl) < 0) {
            fputs("?", stdout);
            continue;
        }
        if (kind == PDT_RES_TMPL) {
            printf("template#%u", (unsigned)tmpl);
            continue;
        }
        jsonout_str(stdout, pat);
        fputs(kind == PDT_RES_DFA ? "(dfa)" : kind == PDT_RES_GLOB ? "(glob)" : "", stdout);
    }
    putchar('\n');
}

static void cli_dump_statements(const struct pdt_table *t, const struct pdt_info *in)
{
    uint32_t i;
    printf("statements: %u (%u Deny, %u Allow), %u policy set%s\n", (unsigned)in->nstmts, (unsigned)in->ndeny,
           (unsigned)(in->nstmts - in->ndeny), (unsigned)in->nsets, in->nsets == 1 ? "" : "s");
    for (i = 0; i < in->nstmts; i++) {
        struct pdt_stmt_info s;
        if (pdt_introspect_stmt(t, i, &s) < 0)
            break;
        printf("  #%-4u %-5s", (unsigned)i, s.deny ? "Deny" : "Allow");
        if (s.policy)
            printf(" %s:%u", s.policy, (unsigned)s.line);
        if (s.sid)
            printf(" sid=%s", s.sid);
        if (s.cond != UINT32_MAX)
            printf(" condition=#%u", (unsigned)s.cond);
        putchar('\n');
        cli_dump_patterns(t, i, &s);
    }
}

/* Prints the load of one hash table. */
static void cli_dump_hash(const char *what, uint32_t slots, uint32_t ent, uint32_t maxprobe)
{
    if (!slots) {
        printf("  %-18s empty\n", what);
        return;
    }
    printf("  %-18s %u entries in %u slots (load %.0f%%), max probe %u\n", what, (unsigned)ent,
           (unsigned)slots, 100.0 * ent / slots, (unsigned)maxprobe);
}

static void cli_dump_automata(const struct pdt_table *t, const struct pdt_info *in)
{
    uint32_t i, npat = in->npat_dfa + in->npat_glob;

    printf("hash tables:\n");
    cli_dump_hash("actions", in->act_slots, in->act_entries, in->act_maxprobe);
    cli_dump_hash("services", in->svc_slots, in->svc_entries, in->svc_maxprobe);
    printf("  %-18s %u\n", "resource buckets", (unsigned)in->bkt_entries);
    printf("action wildcards (per-service patterns): %u\n", (unsigned)in->nactwild);
    printf("statement lists: %u elements, %u accepting sets\n", (unsigned)in->nlist_elems,
           (unsigned)in->naccepts);
    printf("automata: %u, %" PRIu64 " states, %" PRIu64 " bytes, state budget %u\n", (unsigned)in->ndfas,
           in->dfa_states, in->dfa_bytes, (unsigned)in->state_budget);
    for (i = 0; i < in->ndfas; i++) {
        struct pdt_dfa_info f;
        if (pdt_introspect_dfa(t, i, &f) < 0)
            break;
        printf("  dfa %-4u prefix ", (unsigned)i);
        jsonout_str(stdout, f.prefix);
        printf(": %u states, %u classes, %u patterns, %u bytes\n", (unsigned)f.nstates, (unsigned)f.nclasses,
               (unsigned)f.npatterns, (unsigned)f.bytes);
    }
    printf("resource entries: %u (%u \"*\", %u templates with variables, %u static patterns)\n",
           (unsigned)in->nrespats, (unsigned)in->npat_any, (unsigned)in->npat_tmpl, (unsigned)npat);
    printf("coverage: %u of %u static patterns became automata (%.1f%%), %u fell back to the glob matcher\n",
           (unsigned)in->npat_dfa, (unsigned)npat, npat ? 100.0 * in->npat_dfa / npat : 100.0,
           (unsigned)in->npat_glob);
}

int cli_dump(int argc, char **argv)
{
    struct pdt_table *t;
    struct pdt_info info;
    const char *path = NULL;
    char *buf;
    size_t len;
    int i, err;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            cli_dump_help(stdout);
            return CLI_OK;
        }
        if ((argv[i][0] == '-' && argv[i][1] != '\0') || path) {
            fprintf(stderr, "pdtc dump: error: %s '%s'\n", path ? "unexpected argument" : "unknown option",
                    argv[i]);
            fputs("(see pdtc dump --help)\n", stderr);
            return CLI_USAGE;
        }
        path = argv[i];
    }
    if (!path) {
        fputs("pdtc dump: error: give one TABLE\n", stderr);
        fputs("(see pdtc dump --help)\n", stderr);
        return CLI_USAGE;
    }
    if (cli_read_file(path, &buf, &len) < 0) {
        fprintf(stderr, "pdtc: error: %s: %s\n", cli_display_name(path), strerror(errno));
        return CLI_IO;
    }
    err = pdt_open_mem(buf, len, &t);
    if (err != PDT_OK) {
        fprintf(stderr, "pdtc: error: %s: not a valid decision table: %s\n", cli_display_name(path),
                pdt_strerror(err));
        free(buf);
        return err == PDT_E_NOMEM ? CLI_IO : CLI_REFUSED;
    }
    pdt_introspect_info(t, &info);
    cli_dump_header(t, &info, cli_display_name(path));
    cli_dump_statements(t, &info);
    cli_dump_automata(t, &info);
    pdt_close(t);
    free(buf);
    return cli_stdout_done("dump", CLI_OK);
}
