/* pwhash_worker.c -- Argon2id hashing and checking on a thread of its own.
 * See users.h.
 *
 * One thread takes jobs from a queue (mutex and condition variable), runs
 * crypto_pwhash_str / crypto_pwhash_str_verify, wipes the password, puts
 * the job on the finished list and adds one to an eventfd: the event loop
 * polls that descriptor and takes the finished jobs, never waiting on the
 * hashing. */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "users.h"

struct pwhash_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pwhash_job *queued, *queued_tail;    /* waiting, oldest first */
    pwhash_job *done, *done_tail;        /* finished, oldest first */
    size_t n_jobs, max_jobs;             /* queued + running + finished */
    bool stop;
    int event_fd;
    char dummy_hash[crypto_pwhash_STRBYTES]; /* of a random password: unknown users are checked against it */
};

/* Appends job to a list. */
static void list_push(pwhash_job **head, pwhash_job **tail, pwhash_job *job)
{
    job->next = NULL;
    if (*tail)
        (*tail)->next = job;
    else
        *head = job;
    *tail = job;
}

/* Takes the oldest job of a list, or NULL. */
static pwhash_job *list_pop(pwhash_job **head, pwhash_job **tail)
{
    pwhash_job *job = *head;
    if (job) {
        *head = job->next;
        if (!*head)
            *tail = NULL;
        job->next = NULL;
    }
    return job;
}

/* Runs one job (outside the lock). */
static void run_job(pwhash_worker *self, pwhash_job *job)
{
    size_t len = strnlen(job->password, sizeof job->password);
    if (job->kind == PWHASH_HASH) {
        job->ok = crypto_pwhash_str(job->hash, job->password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
        if (!job->ok)
            job->hash[0] = '\0';
    } else {
        const char *hash = job->hash[0] ? job->hash : self->dummy_hash;
        bool ok = crypto_pwhash_str_verify(hash, job->password, len) == 0;
        job->ok = ok && job->hash[0];
    }
    sodium_memzero(job->password, sizeof job->password);
}

/* The thread: the dummy hash first, then jobs until stopped. */
static void *worker_main(void *arg)
{
    pwhash_worker *self = arg;
    char random_password[33];
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(random_password, sizeof random_password, raw, sizeof raw);
    if (crypto_pwhash_str(self->dummy_hash, random_password, strlen(random_password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        log_warn("password worker: the dummy hash could not be made (out of memory?)");
    pthread_mutex_lock(&self->lock);
    for (;;) {
        while (!self->stop && !self->queued)
            pthread_cond_wait(&self->wake, &self->lock);
        if (self->stop)
            break;
        pwhash_job *job = list_pop(&self->queued, &self->queued_tail);
        pthread_mutex_unlock(&self->lock);
        run_job(self, job);
        pthread_mutex_lock(&self->lock);
        list_push(&self->done, &self->done_tail, job);
        uint64_t one = 1;
        if (write(self->event_fd, &one, sizeof one) < 0 && errno != EAGAIN)
            log_warn("password worker: eventfd: %s", strerror(errno));
    }
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

pwhash_worker *pwhash_worker_new(size_t max_jobs)
{
    if (sodium_init() < 0) {
        log_error("libsodium could not be initialised");
        return NULL;
    }
    pwhash_worker *self = calloc(1, sizeof *self);
    if (!self) {
        log_error("password worker: out of memory");
        return NULL;
    }
    self->max_jobs = max_jobs;
    self->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (self->event_fd < 0) {
        log_error("password worker: eventfd: %s", strerror(errno));
        free(self);
        return NULL;
    }
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    int rc = pthread_create(&self->thread, NULL, worker_main, self);
    if (rc != 0) {
        log_error("password worker: pthread_create: %s", strerror(rc));
        close(self->event_fd);
        pthread_mutex_destroy(&self->lock);
        pthread_cond_destroy(&self->wake);
        free(self);
        return NULL;
    }
    return self;
}

void pwhash_worker_destroy(pwhash_worker **p, void (*drop)(pwhash_job *job))
{
    pwhash_worker *self = *p;
    if (!self)
        return;
    pthread_mutex_lock(&self->lock);
    self->stop = true;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
    pthread_join(self->thread, NULL);
    pwhash_job *job;
    while ((job = list_pop(&self->queued, &self->queued_tail)) || (job = list_pop(&self->done, &self->done_tail))) {
        sodium_memzero(job->password, sizeof job->password);
        if (drop)
            drop(job);
    }
    close(self->event_fd);
    pthread_mutex_destroy(&self->lock);
    pthread_cond_destroy(&self->wake);
    free(self);
    *p = NULL;
}

int pwhash_worker_submit(pwhash_worker *self, pwhash_job *job)
{
    pthread_mutex_lock(&self->lock);
    bool full = self->n_jobs >= self->max_jobs;
    if (!full) {
        self->n_jobs++;
        list_push(&self->queued, &self->queued_tail, job);
        pthread_cond_signal(&self->wake);
    }
    pthread_mutex_unlock(&self->lock);
    return full ? -1 : 0;
}

int pwhash_worker_fd(const pwhash_worker *self)
{
    return self->event_fd;
}

pwhash_job *pwhash_worker_take(pwhash_worker *self)
{
    uint64_t count;
    if (read(self->event_fd, &count, sizeof count) < 0 && errno != EAGAIN)
        log_warn("password worker: eventfd: %s", strerror(errno));
    pthread_mutex_lock(&self->lock);
    pwhash_job *job = list_pop(&self->done, &self->done_tail);
    if (job)
        self->n_jobs--;
    pthread_mutex_unlock(&self->lock);
    return job;
}
