/* ingest_internal.h -- what the two halves of the submit path share:
 * ingest.c (decode, validate, queue into the group being filled) and
 * ingest_commit.c (send a group, finish it, answer), with ingest_senders.c.
 * Private to server/ingest/. */
#ifndef JUNHENG_INGEST_INTERNAL_H
#define JUNHENG_INGEST_INTERNAL_H

#include "county_inputs_csv.h"
#include "ingest.h"
#include "ingest_senders.h"
#include "junheng.pb-c.h"
#include "store.h"

/* One request waiting for the group commit. */
typedef struct {
    peer_address peer;
    uint8_t request_id[16];
    size_t request_id_len;
    Junheng__ReplyStatus refusal;  /* REFUSED for a quarantine item */
    submission sub;                /* valid submissions only */
    county_inputs_revision cin;    /* county inputs (item.kind STORE_ITEM_COUNTY_INPUTS) only */
    char cin_submission_id[SUBMISSION_ID_LEN + 1];
    uint8_t *payload;              /* packed Submission (owned) */
    size_t payload_len;
    uint8_t *raw;                  /* the raw message, quarantine only (owned) */
    size_t raw_len;
    problem_list errors;
    problem_list warnings;
    char *warnings_json;           /* owned */
    char *errors_json;             /* owned */
    char peer_text[2 * 32 + 1];    /* the sender's key (Z85), or over plaintext the hex of the routing id */
    char school_code[SCHOOL_CODE_LEN + 1];
    bool late;                     /* taken after its period closed (reopened for the school) */
    store_item item;
    int64_t received_ms;           /* monotonic ms, when the message was read (ack latency) */
    bool county;                   /* a county's inputs (counted as such, whatever the outcome) */
} pending_request;

/* A group's requests and the store items built from them. The batch owns
 * both arrays and, while len > 0, every request's buffers. */
typedef struct {
    pending_request *reqs;
    size_t len, cap;
    store_item *items;
    size_t items_cap;
} ingest_batch;


/* The group commit in flight on its own connection, the buffers that are
 * reused from group to group, and the senders' pending counts
 * (ingest->flight). */
struct ingest_flight {
    ingest_batch sent;           /* the group in flight, while call is set */
    ingest_batch done;           /* a finished group while it is answered */
    store_group_call *call;      /* NULL: nothing in flight */
    int64_t sent_ms;             /* when the group in flight was sent (monotonic ms) */
    int64_t next_reconnect_ms;   /* when to try the commit connection again (or look at an idle one) */
    sender_table senders;        /* every request queued and not yet answered */
};

/* The submit path's state: its dependencies (ingest.h, borrowed), its own
 * commit connection, the group being filled and the group in flight. */
struct ingest {
    const config *cfg;
    validate_limits limits;
    registry *reg;
    county_book *book;
    const auth_policy *policy;
    const review_state *review;    /* periods (NULL: always open) */
    void *submit_sock;             /* replies go here */
    net_counters *counters;
    store *commit_db;              /* ingest_commit.c: the group commits' own connection */
    struct ingest_flight *flight;  /* ingest_commit.c: the group in flight and the reused buffers */
    pending_request *group;        /* the group being filled */
    size_t group_len;
    size_t group_cap;
    int64_t group_deadline_ms;     /* commit no later than this (monotonic ms) */
    bool draining;                 /* stopping: every group is due */
    ingest_stats stats;            /* what the submit path counts (ingest.h) */
    bool fenced;                   /* no lease (server/lease.h): groups answered "retry later", never sent */
};

/* ingest_stats.c: empties the counts and sets the histograms' buckets. */
void ingest_stats_init(ingest_stats *stats);
/* ingest_stats.c: counts one answer st of kind (INGEST_SCHOOL or
 * INGEST_COUNTY_INPUTS), outside a group. */
void ingest_count_answer(ingest *self, int kind, Junheng__ReplyStatus st);
/* ingest_stats.c: counts the answer st to p, a message of a group, and the
 * time since it was read (now, monotonic ms). */
void ingest_count_reply(ingest *self, const pending_request *p, Junheng__ReplyStatus st, int64_t now);

/* ingest.c: frees one pending request's buffers and zeroes it. */
void ingest_pending_release(pending_request *p);

/* ingest_county.c: checks a CountyInputs message into p: the key's right to
 * send its county's inputs first, then the county in the registry, then
 * every row (wire_county.h, the county-inputs file's checks). Fills
 * p->errors. Returns the quarantine reason, or NULL when valid (p->cin and
 * p->cin_submission_id set). */
const char *ingest_check_county(ingest *self, const peer_address *peer, const Junheng__CountyInputs *pb,
                                pending_request *p);

/* ingest_county.c: prepares p's store item for a valid county-inputs
 * message (packs the stored form). Returns 0, or -1 when out of memory. */
int ingest_prepare_county(ingest *self, pending_request *p);

#endif
