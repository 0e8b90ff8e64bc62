/*
 * Independent reference simulator for docs/VALIDATION.md: measures the relative asymptotic
 * standard deviation per customer, nu = sigma / theta, of every statistic the validation
 * tests check, from which their tolerances follow (Tests/ValidationTests/Statistics.swift):
 *
 *     expected 95 % half-width h = t(0.975, R - 1) * nu / sqrt(R * n),  tolerance = 3 h.
 *
 * sigma^2 = lim n Var(mean of n customers) is estimated by batch means: one run of 40
 * million customers after a warm-up of 8 million, 200 batches. It shares no code with
 * queuesim: FCFS M/G/c by the Kiefer-Wolfowitz recursion (a heap of the servers' next free
 * times), M/G/c/c by a heap of departures, SplitMix64 uniforms, exponentials by inversion.
 *
 *     cc -O2 -o /tmp/reference docs/validation/reference.c -lm && /tmp/reference
 *
 * prints one line per case (about a minute). It also prints the remaining bias of the
 * M/D/1 mean wait after the tests' start (the mean number in system) and warm-ups.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t state = 20261123;
static double uniform(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((z >> 11) + 0.5) * (1.0 / 9007199254740992.0); /* (0, 1) */
}
static double exponential(double rate) { return -log(uniform()) / rate; }

/* A binary min-heap of times. */
static double heap[1024];
static int heapCount;
static void push(double v) {
    int i = heapCount++;
    heap[i] = v;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (heap[p] <= heap[i]) break;
        double t = heap[p]; heap[p] = heap[i]; heap[i] = t; i = p;
    }
}
static double pop(void) {
    double top = heap[0];
    heap[0] = heap[--heapCount];
    for (int i = 0;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < heapCount && heap[l] < heap[m]) m = l;
        if (r < heapCount && heap[r] < heap[m]) m = r;
        if (m == i) break;
        double t = heap[m]; heap[m] = heap[i]; heap[i] = t; i = m;
    }
    return top;
}

enum { CUSTOMERS = 40000000, WARMUP = 8000000, BATCHES = 200, STATS = 4 };

/* nu of: mean wait, P(W > 0), P(W > 1/theta), P(W > 2/theta) for M/M/c (or M/D/c). */
static void mgc(int c, double rho, int deterministic) {
    double lambda = c * rho, theta = c - lambda, t1 = 1 / theta, t2 = 2 / theta;
    double batch[STATS][BATCHES], sum[STATS] = {0};
    long per = CUSTOMERS / BATCHES, k = 0;
    int b = 0;
    double t = 0;
    heapCount = 0;
    for (int i = 0; i < c; i++) push(0);
    for (long i = 0; i < WARMUP + CUSTOMERS; i++) {
        t += exponential(lambda);
        double free = pop(), wait = free > t ? free - t : 0;
        push(t + wait + (deterministic ? 1.0 : exponential(1.0)));
        if (i < WARMUP) continue;
        sum[0] += wait; sum[1] += wait > 0; sum[2] += wait > t1; sum[3] += wait > t2;
        if (++k == per) {
            for (int s = 0; s < STATS; s++) { batch[s][b] = sum[s] / per; sum[s] = 0; }
            b++; k = 0;
        }
    }
    printf("M/%c/%d rho=%.2f nu:", deterministic ? 'D' : 'M', c, rho);
    const char *names[STATS] = {"wait", "P>0", "P>1/theta", "P>2/theta"};
    for (int s = 0; s < STATS; s++) {
        double mean = 0, var = 0;
        for (int j = 0; j < BATCHES; j++) mean += batch[s][j];
        mean /= BATCHES;
        for (int j = 0; j < BATCHES; j++) var += (batch[s][j] - mean) * (batch[s][j] - mean);
        var /= BATCHES - 1;
        printf("  %s %.4g (mean %.5g)", names[s], mean > 0 ? sqrt(var * per) / mean : NAN, mean);
    }
    printf("\n");
}

/* nu of the blocking fraction of M/M/c/c (or M/D/c/c) at offered load a. */
static void loss(int c, double a, int deterministic) {
    double batch[BATCHES], sum = 0, t = 0;
    long per = CUSTOMERS / BATCHES, k = 0;
    int b = 0;
    heapCount = 0;
    for (long i = 0; i < WARMUP + CUSTOMERS; i++) {
        t += exponential(a);
        while (heapCount > 0 && heap[0] <= t) pop();
        int blocked = heapCount >= c;
        if (!blocked) push(t + (deterministic ? 1.0 : exponential(1.0)));
        if (i < WARMUP) continue;
        sum += blocked;
        if (++k == per) { batch[b++] = sum / per; sum = 0; k = 0; }
    }
    double mean = 0, var = 0;
    for (int j = 0; j < BATCHES; j++) mean += batch[j];
    mean /= BATCHES;
    for (int j = 0; j < BATCHES; j++) var += (batch[j] - mean) * (batch[j] - mean);
    var /= BATCHES - 1;
    printf("M/%c/%d/%d a=%g nu: blocking %.4g (mean %.5g)\n", deterministic ? 'D' : 'M', c, c, a, sqrt(var * per) / mean, mean);
}

/* Bias of the M/D/1 mean wait over `customers` after starting with k0 in system and a warm-up. */
static void md1Bias(double rho, int k0, double warmup, long customers, int replications) {
    double theory = rho / (2 * (1 - rho)), sum = 0, sum2 = 0;
    for (int r = 0; r < replications; r++) {
        double free = k0, t = 0, total = 0;
        long n = 0;
        while (n < customers) {
            t += exponential(rho);
            double wait = free > t ? free - t : 0;
            free = t + wait + 1.0;
            if (t >= warmup) { total += wait; n++; }
        }
        sum += total / n; sum2 += (total / n) * (total / n);
    }
    double mean = sum / replications, sd = sqrt((sum2 - replications * mean * mean) / (replications - 1));
    printf("M/D/1 rho=%.2f start %d warm-up %.0f s, %ld customers: bias %+.3f %% +- %.3f %%\n", rho, k0, warmup, customers,
           100 * (mean / theory - 1), 100 * 1.96 * sd / sqrt(replications) / theory);
}

int main(void) {
    int servers[] = {1, 4, 16, 64};
    double loads[] = {0.5, 0.8, 0.95};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) mgc(servers[i], loads[j], 0);
    for (int j = 0; j < 3; j++) mgc(1, loads[j], 1);
    loss(1, 1, 0);
    loss(10, 4.461, 0);
    loss(10, 4.461, 1);
    loss(10, 10, 0);
    loss(64, 64, 0);
    md1Bias(0.5, 1, 50, 5000, 20000);
    md1Bias(0.8, 2, 200, 5000, 20000);
    md1Bias(0.95, 10, 1000, 5000, 20000);
    return 0;
}
