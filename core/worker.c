#include "worker.h"

#include "dispatch.h"
#include "log.h"
#include "tasks.h"

#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Jobs that spent at least this much of their thread's CPU give their
 * memory back too (a bulk action has built big results); short requests
 * never pay for the trim. CPU time, not the wall clock: under load a short
 * request waits tens of milliseconds for the database and the cores, and
 * a trim after each (malloc_trim(0) walks every worker's heap and gives
 * its free pages back, a TLB flush on every core each time) cost the task
 * list of 100 rows about a tenth of cabinetd's CPU (perf, tests/bench). */
#define WORKER_TRIM_AFTER_CPU_MS 20

/* Requests with a file at least this large give their memory back (malloc_trim). */
#define WORKER_TRIM_BLOB (256 * 1024)

struct worker {
	pthread_t thread;
	int index;
	struct db db;
	struct arena *arena;
	struct pool *pool;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *head, *tail;
	int stopping;
	int count;
	struct worker *workers;
	pool_done_fn done;
	void *done_arg;
};

void job_free(struct job *job)
{
	if (job == NULL)
		return;
	json_object_put(job->request);
	free(job->blob);
	buf_free(&job->reply);
	free(job);
}

static struct job *pool_take(struct pool *pool)
{
	struct job *job;

	pthread_mutex_lock(&pool->lock);
	while (pool->head == NULL && !pool->stopping)
		pthread_cond_wait(&pool->cond, &pool->lock);
	job = pool->head;
	if (job) {
		pool->head = job->next;
		if (pool->head == NULL)
			pool->tail = NULL;
		job->next = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	return job;
}

/* malloc_trim(0), except under AddressSanitizer: its allocator replaces
 * glibc's, whose arenas are then never set up, and glibc's malloc_trim
 * walks them (a SEGV in mtrim at a long request's end, seen in the
 * sanitizer pass of scripts/test.sh). */
static void worker_trim(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return;
#else
	malloc_trim(0);
#endif
}

/* The CPU time this thread has used, in milliseconds. */
static int64_t worker_cpu_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *job;

	while ((job = pool_take(w->pool)) != NULL) {
		int64_t started = worker_cpu_ms();
		tasks_job_begin();
		if (job->task)
			job->task(&w->db, w->arena, job->task_arg);
		else
			dispatch_request(&w->db, w->arena, job->request, job->frame_id, job->blob,
			                 job->blob_len, job->peer_uid, job->peer_operator,
			                 &job->reply);
		arena_reset(w->arena);
		/* A request that brought a file (an exchange batch, a CSV) or
		 * ran long on the CPU (a bulk action over thousands of
		 * employees) freed many small blocks; each worker thread has its own malloc arena,
		 * which keeps them, so four workers would each keep the peak of
		 * the largest request they ever served. Give them back. */
		if (job->blob_len >= WORKER_TRIM_BLOB ||
		    worker_cpu_ms() - started >= WORKER_TRIM_AFTER_CPU_MS)
			worker_trim();
		tasks_job_end(); /* its kicks, now that it committed */
		w->pool->done(job, w->pool->done_arg);
	}
	return NULL;
}

struct pool *pool_start(int workers, const char *conninfo, pool_done_fn done, void *arg)
{
	struct pool *pool = calloc(1, sizeof(*pool));

	if (pool == NULL)
		abort();
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->cond, NULL);
	pool->done = done;
	pool->done_arg = arg;
	pool->workers = calloc((size_t)workers, sizeof(struct worker));
	if (pool->workers == NULL)
		abort();
	for (int i = 0; i < workers; i++) {
		struct worker *w = &pool->workers[i];
		w->index = i;
		w->pool = pool;
		w->arena = arena_new();
		db_init(&w->db, conninfo);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			log_error("worker_start_failed", "worker=%d", i);
			db_close(&w->db);
			arena_free(w->arena);
			break;
		}
		pool->count++;
	}
	if (pool->count == 0) {
		free(pool->workers);
		free(pool);
		return NULL;
	}
	return pool;
}

void pool_submit(struct pool *pool, struct job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&pool->lock);
	if (pool->tail)
		pool->tail->next = job;
	else
		pool->head = job;
	pool->tail = job;
	pthread_cond_signal(&pool->cond);
	pthread_mutex_unlock(&pool->lock);
}

void pool_stop(struct pool *pool)
{
	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stopping = 1;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->lock);
	for (int i = 0; i < pool->count; i++) {
		pthread_join(pool->workers[i].thread, NULL);
		db_close(&pool->workers[i].db);
		arena_free(pool->workers[i].arena);
	}
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->cond);
	free(pool->workers);
	free(pool);
}
