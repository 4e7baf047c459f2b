/* format.h - the binary layout of a pdt decision table (format 1.x).  The
 * single source of truth for the compiler (src/emit.c, src/lower.c, ...) and
 * the runtime (load.c, lookup.c, ...); docs/format.md explains it.
 *
 * A table is one little-endian byte string:
 *
 *   header (64 bytes) | section directory (nsections x 16 bytes) | sections
 *
 * Every section starts at an 8-byte aligned offset; sections do not overlap
 * and lie inside total_len.  All integers are fixed-width little-endian; the
 * runtime reads the records below in place (host must be little-endian).
 * Offsets inside a section are in bytes from the section start unless said
 * otherwise; "list refs" (off, len) index the u32 pool of PDT_SEC_LISTS in
 * elements.  Strings are offsets into PDT_SEC_STRTAB and NUL-terminated
 * there; offset 0 is the empty string.
 *
 * Stored glob patterns use the table convention: '*' and '?' are wildcards
 * and '\' makes the next byte literal (never the last byte of a pattern). */
#ifndef PDT_FORMAT_H
#define PDT_FORMAT_H

#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "pdt reads tables in place and needs a little-endian host"
#endif

/* ---- header ---------------------------------------------------------- */

#define PDT_MAGIC "\x89PDT\r\n\x1a\n"  /* 8 bytes; catches text-mode mangling */
#define PDT_MAGIC_LEN 8
#define PDT_FORMAT_MAJOR 1u   /* incompatible changes: runtime refuses other majors */
#define PDT_FORMAT_MINOR 0u   /* compatible additions (new optional sections) */
#define PDT_HDR_LEN 64u

#define PDT_HF_STRIPPED 0x1u  /* no provenance section */
#define PDT_HF_KNOWN 0x1u     /* header flags this runtime knows; others refused */

struct pdt_fmt_header {
    uint8_t magic[8];
    uint16_t major, minor;
    uint32_t hdr_len;     /* PDT_HDR_LEN; bytes from hdr_len to 64 must be zero */
    uint64_t total_len;   /* whole table; equals the buffer/file length */
    uint64_t checksum;    /* XXH64 (seed 0) over bytes [hdr_len, total_len) */
    uint32_t nsections;   /* directory entries, right after the header */
    uint32_t flags;       /* PDT_HF_* */
    uint32_t nstmts;      /* statements in PDT_SEC_STMTS (cross-check) */
    uint32_t reserved[5]; /* zero */
};

/* ---- section directory ------------------------------------------------ */

#define PDT_SF_REQUIRED 0x1u  /* a runtime that does not know the id must refuse the table */
#define PDT_SF_KNOWN 0x1u

struct pdt_fmt_section {
    uint32_t id;     /* PDT_SEC_*; entries sorted by strictly increasing id */
    uint32_t flags;  /* PDT_SF_* */
    uint32_t off;    /* from the table start; 8-aligned; >= end of directory */
    uint32_t len;    /* bytes */
};

/* Section ids.  0x10-0x1F belong to the condition engine (runtime/cond.h). */
#define PDT_SEC_STRTAB 0x01u  /* required: string bytes; first and last byte NUL */
#define PDT_SEC_SETS 0x02u    /* required: policy sets (struct pdt_fmt_sets + entries) */
#define PDT_SEC_STMTS 0x03u   /* required: struct pdt_fmt_stmt[nstmts] */
#define PDT_SEC_PROV 0x04u    /* optional: struct pdt_fmt_prov[nstmts]; absent when stripped */
#define PDT_SEC_ACTPATS 0x05u /* required: NotAction patterns (lowercased), see below */
#define PDT_SEC_RESPATS 0x06u /* required: u32 packed resource entries (PDT_RP_*) */
#define PDT_SEC_META 0x07u    /* required: struct pdt_fmt_meta */
#define PDT_SEC_LISTS 0x08u   /* required: u32 pool of statement-list records */
#define PDT_SEC_ACTHASH 0x09u /* required: action hash (struct pdt_fmt_hash + slots + entries) */
#define PDT_SEC_ACTSVC 0x0Au  /* required: service hash (struct pdt_fmt_hash + slots + entries) */
#define PDT_SEC_ACTAUX 0x0Bu  /* required: u32 pool: prefix lengths per service */
#define PDT_SEC_ACTWILD 0x0Cu /* required: struct pdt_fmt_actwild[] */
#define PDT_SEC_RESBKT 0x0Du  /* required: resource buckets (struct pdt_fmt_hash + slots + entries) */
#define PDT_SEC_DFAS 0x0Eu    /* required: struct pdt_fmt_dfa[] */
#define PDT_SEC_DFADATA 0x0Fu /* required: byte blob: class maps, transitions, accept ids */
#define PDT_SEC_ACCEPTS 0x20u /* required: u32 list refs: accepting-state statement sets (non-empty) */
/* The NotAction index: the same layout as ACTHASH/ACTSVC/ACTAUX/ACTWILD,
 * over the NotAction statements' patterns; its lists hold NotAction
 * ordinals (k = position in META.notaction), not statement indices. */
#define PDT_SEC_NAHASH 0x21u  /* required */
#define PDT_SEC_NASVC 0x22u   /* required */
#define PDT_SEC_NAAUX 0x23u   /* required */
#define PDT_SEC_NAWILD 0x24u  /* required */

/* ---- policy sets ------------------------------------------------------ */

#define PDT_SET_IDENTITY 0u   /* the identity policies of one principal (the only kind in 1.0) */

struct pdt_fmt_sets {
    uint32_t nsets;     /* >= 1 */
    uint32_t reserved;  /* zero */
    /* followed by struct pdt_fmt_set[nsets] */
};

struct pdt_fmt_set {
    uint32_t kind;      /* PDT_SET_*; unknown kinds are refused */
    uint32_t flags;     /* zero */
    uint32_t first;     /* first statement; sets tile [0, nstmts) in order */
    uint32_t count;     /* statements; inside a set, all Deny statements come first */
};

/* ---- statement lists ------------------------------------------------- */

/* A list ref is one u32 naming a set of statements (increasing indices):
 *   PDT_LIST_EMPTY            the empty set;
 *   PDT_LIST_ONE | s          the single statement s (s < nstmts);
 *   off (bit 31 clear)        a record of the PDT_SEC_LISTS pool: pool[off] =
 *                             H | len (len >= 2), followed by len strictly
 *                             increasing statement indices.
 * The pool is an array of u16 when META.flags has PDT_MF_LIST16 (then H is
 * 0x8000, nstmts <= 0x7FFF and off counts u16 elements), else of u32 (H is
 * 0x80000000).  Statement indices never have H set, so record headers are
 * recognisable: the loader walks the pool once and then checks a ref in O(1). */
#define PDT_LIST_EMPTY 0xFFFFFFFFu
#define PDT_LIST_ONE 0x80000000u
#define PDT_LIST16_HDR 0x8000u

/* ---- statements ------------------------------------------------------- */

#define PDT_EFFECT_ALLOW 0u
#define PDT_EFFECT_DENY 1u

#define PDT_STF_NOT_ACTION 0x01u    /* the action patterns are NotAction */
#define PDT_STF_NOT_RESOURCE 0x02u  /* the resource patterns are NotResource */
#define PDT_STF_RES_ANY 0x04u       /* one resource pattern is "*" (matches everything) */
#define PDT_STF_RES_DFA 0x08u       /* some resource patterns live in automata */
#define PDT_STF_KNOWN 0x0Fu

/* Resource entries of statement i: RESPATS[res_first(i) .. res_first(i+1))
 * (res_first of the statement after the last is the RESPATS count); the
 * res_first values start at 0 and strictly increase.  Action patterns are
 * kept per statement only for NotAction statements (see ACTPATS); an Action
 * statement is reached through the action index. */
struct pdt_fmt_stmt {
    uint8_t effect;      /* PDT_EFFECT_* */
    uint8_t flags;       /* PDT_STF_* */
    uint16_t nacts;      /* action patterns (>= 1): NotAction as written; Action: distinct lower-cased */
    uint32_t cond;       /* condition program id, or PDT_COND_NONE (UINT32_MAX) */
    uint32_t res_first;  /* first RESPATS entry */
};

/* PDT_SEC_ACTPATS: u32 nna (NotAction statements, = META.notaction's size),
 * u32 first[nna + 1] (first[0] = 0, first[k + 1] - first[k] = nacts of the
 * k-th NotAction statement in increasing statement order), then u32
 * pats[first[nna]]: strtab offsets of their lower-cased escaped patterns. */

/* PDT_SEC_PROV: struct pdt_fmt_provhdr, then nruns file runs (statements
 * first .. next run's first - 1 come from `file`; run 0 starts at 0, firsts
 * strictly increase and are < nstmts), then struct pdt_fmt_prov[nstmts]. */
struct pdt_fmt_provhdr {
    uint32_t nruns;      /* >= 1 when nstmts > 0 */
    uint32_t reserved;   /* zero */
};

struct pdt_fmt_provrun {
    uint32_t first;      /* first statement of the run */
    uint32_t file;       /* strtab offset of the policy file name (non-empty) */
};

struct pdt_fmt_prov {
    uint32_t line;       /* 1-based line of the statement */
    uint32_t sid;        /* strtab offset of the Sid; 0 = none */
};

/* RESPATS entries are one u32: kind in the top two bits, PDT_RP_LIT in bit
 * 29, value (strtab offset or template id, < 2^29) below. */
#define PDT_RP_GLOB 0u   /* static pattern matched with the linear glob matcher */
#define PDT_RP_DFA 1u    /* static pattern compiled into an automaton (text kept for dump) */
#define PDT_RP_TMPL 2u   /* template id (policy variables), expanded by the condition engine */
#define PDT_RP_ANY 3u    /* the pattern "*" (value 0) */
#define PDT_RP_LIT 0x20000000u  /* GLOB/DFA only: the pattern has no '*', '?' or '\' (compare as a string) */
#define PDT_RP_KIND(v) ((v) >> 30)
#define PDT_RP_VAL(v) ((v) & 0x1FFFFFFFu)
#define PDT_RP_MAKE(k, v) (((uint32_t)(k) << 30) | ((uint32_t)(v) & 0x1FFFFFFFu))
#define PDT_RP_MAXVAL 0x1FFFFFFFu

struct pdt_fmt_meta {
    uint32_t star;                     /* list ref: statements with Action "*" */
    uint32_t notaction;                /* list ref: statements with NotAction */
    uint32_t generic_dfa_first;        /* automata run for every ARN (patterns with a */
    uint32_t generic_dfa_count;        /*   wildcard before the service segment) */
    uint32_t npatterns_dfa;            /* static resource entries placed in automata */
    uint32_t npatterns_glob;           /* static resource entries left to the glob matcher */
    uint32_t state_budget;             /* per-automaton state budget the compiler used */
    uint32_t flags;                    /* PDT_MF_* */
    uint32_t na_star;                  /* list ref of NotAction ordinals: NotAction "*" */
    uint32_t svc_filter[2];            /* 64-bit filter of ACTSVC's services (PDT_SVC_BIT) */
    uint32_t na_svc_filter;            /* 32-bit filter of NASVC's services (PDT_SVC_BIT % 32) */
};

/* Bit of a service name "svc:" (n >= 1 bytes) in meta.svc_filter: a clear
 * bit means the service has no record, so its lookup can be skipped. */
#define PDT_SVC_BIT(s, n) \
    (((unsigned)(unsigned char)(s)[0] * 7u + (unsigned)(unsigned char)(s)[(n) / 2] * 3u + (unsigned)(n)) & 63u)

#define PDT_MF_LIST16 0x1u   /* the LISTS pool holds u16 elements */
#define PDT_MF_KNOWN 0x1u

/* ---- hash tables (actions, services, resource buckets) ----------------- */

/* Keys are hashed with XXH3_64bits_withSeed(key, len, seed) (XXH64 for
 * keys longer than 128 bytes); h is the low 32 bits.  A key's home slot is ((uint64_t)h * nslots) >> 32; probing is linear,
 * wrapping at nslots.  A slot holds 0 (empty) or ((entry + 1) << 8) | (h &
 * 0xFF): the tag spares most key comparisons.  Every entry sits within
 * maxprobe probes of its home, and a lookup stops after maxprobe probes or
 * at an empty slot.  Every entry begins with the strtab offset of its key. */
#define PDT_SEED_EXACT 0u    /* ACTHASH: a whole lowercased action "svc:name" */
#define PDT_SEED_PREFIX 1u   /* ACTHASH: the literal before a trailing '*' ("svc:get", "svc:") */
#define PDT_SEED_SVC 2u      /* ACTSVC: "svc:" */
#define PDT_SEED_BUCKET 3u   /* RESBKT: ARN text up to and including the third ':' */

#define PDT_SLOT_ENTRY(s) (((s) >> 8) - 1)
#define PDT_SLOT_TAG(s) ((s) & 0xFFu)
#define PDT_SLOT_MAKE(e, h) ((((uint32_t)(e) + 1) << 8) | ((h) & 0xFFu))
#define PDT_HASH_MAX_ENT 0xFFFFFEu

struct pdt_fmt_hash {
    uint32_t nslots;     /* > nent */
    uint32_t nent;       /* entries, <= PDT_HASH_MAX_ENT */
    uint32_t maxprobe;   /* 1 .. nslots */
    uint32_t reserved;   /* zero */
    /* followed by u32 slots[nslots], then the entries (8-aligned) */
};

struct pdt_fmt_actent {   /* ACTHASH entry: exact action (PDT_SEED_EXACT) or prefix (PDT_SEED_PREFIX) */
    uint32_t key;        /* strtab offset of the key pattern: "svc:name" or "svc:pre*" */
    uint32_t list;       /* list ref: the (Action, not NotAction) statements naming it */
};

struct pdt_fmt_svcent {   /* ACTSVC entry */
    uint32_t name;       /* strtab offset of "svc:" */
    uint32_t plen_off;   /* ACTAUX[plen_off .. +plen_cnt): the prefix keys of the service as */
    uint32_t plen_cnt;   /*   PDT_PLEN_MAKE(len, b1, b2), strictly increasing (so by length) */
    uint32_t wild_off;   /* ACTWILD[wild_off .. +wild_cnt): other wildcard patterns */
    uint32_t wild_cnt;
};

/* A prefix key "svc:xy...*" of length len (bytes before the '*', "svc:"
 * included) is announced in ACTAUX with the two bytes after "svc:" (b1 = x,
 * b2 = y; 0 where the key is shorter), so a lookup hashes only the prefix
 * lengths whose first two bytes agree with the request. */
#define PDT_PLEN_MAKE(len, b1, b2) (((uint32_t)(len) << 16) | ((uint32_t)(b1) << 8) | (uint32_t)(b2))
#define PDT_PLEN_LEN(v) ((v) >> 16)
#define PDT_PLEN_B1(v) (((v) >> 8) & 0xFFu)
#define PDT_PLEN_B2(v) ((v) & 0xFFu)

struct pdt_fmt_actwild {
    uint32_t pat;        /* strtab offset of the lowercased escaped glob */
    uint32_t list;       /* list ref */
};

struct pdt_fmt_bktent {   /* RESBKT entry */
    uint32_t key;        /* strtab offset of "arn:part:svc:" */
    uint32_t dfa_first;  /* PDT_SEC_DFAS[dfa_first .. +dfa_count) */
    uint32_t dfa_count;
};

/* ---- automata --------------------------------------------------------- */

/* State 0 is the dead state (not accepting, every transition to 0); the
 * start state is 1.  The automaton matches the text after `prefix`.  A
 * transition stores the target state's row offset, state * nclasses (so
 * nstates * nclasses <= 65536): trans[row + classes[byte]] is the next row. */
struct pdt_fmt_dfa {
    uint32_t prefix;     /* strtab offset: literal the ARN must start with */
    uint32_t prefix_len;
    uint32_t nstates;    /* 2 .. 65535, and nstates * nclasses <= 65536 */
    uint32_t nclasses;   /* 1 .. 256 */
    uint32_t classes;    /* DFADATA offset of uint8_t[256] byte -> class */
    uint32_t trans;      /* DFADATA offset (2-aligned) of uint16_t[nstates * nclasses]: target rows */
    uint32_t accept;     /* DFADATA offset (4-aligned) of uint32_t[nstates]: ACCEPTS index or UINT32_MAX */
    uint32_t npatterns;  /* patterns compiled into it (for dump) */
};

#define PDT_MAX_ACTION 256u      /* longer request actions are malformed (implicit deny) */
#define PDT_MAX_RESOURCE 65536u  /* longer request resources are malformed */

#endif
