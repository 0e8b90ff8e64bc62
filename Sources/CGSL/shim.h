#ifndef QUEUESIM_CGSL_SHIM_H
#define QUEUESIM_CGSL_SHIM_H

// The part of GSL queuesim uses. GSL exposes generator types as global mutable
// variables (`gsl_rng_mt19937` ...), which Swift 6 strict concurrency refuses to
// touch; these small inline functions read them on the C side instead.

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_psi.h>

/// Allocates a Mersenne Twister (MT19937) generator: fast, long period, 32-bit seed.
static inline gsl_rng *queuesim_rng_alloc_mt19937(void) {
    return gsl_rng_alloc(gsl_rng_mt19937);
}

// SplitMix64 as a GSL generator: for the named streams (one word of state each, where
// MT19937 took 5 KB) and for per-message randomness, which is re-seeded for every draw.
//
// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA
// 2014; the generator of java.util.SplittableRandom) passes TestU01's BigCrush. Its state is a
// single 64-bit counter: `set` stores the seed, and the n-th output is a fixed bijective mix of
// seed + n * 0x9E3779B97F4A7C15. Re-seeding is therefore one store (GSL's taus2, used before,
// ran an LCG and six warm-up steps per re-seed), and the numbers drawn after a re-seed depend
// only on the seed. GSL's samplers draw from it through the ordinary gsl_rng interface.

/// The state of a SplitMix64 generator: the counter, advanced by the golden gamma per output.
typedef struct {
    uint64_t counter;
} queuesim_splitmix64_state;

/// The next 64-bit output: advance the counter, then SplitMix64's finaliser (Stafford's Mix13).
static inline uint64_t queuesim_splitmix64_next(void *vstate) {
    queuesim_splitmix64_state *state = (queuesim_splitmix64_state *)vstate;
    uint64_t z = (state->counter += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// GSL's `get`: the upper 32 bits (GSL's integer samplers expect a 32-bit range).
static unsigned long int queuesim_splitmix64_get(void *vstate) {
    return (unsigned long int)(queuesim_splitmix64_next(vstate) >> 32);
}

/// GSL's `get_double`: the upper 53 bits as a double in [0, 1).
static double queuesim_splitmix64_get_double(void *vstate) {
    return (double)(queuesim_splitmix64_next(vstate) >> 11) * 0x1.0p-53;
}

/// GSL's `set`: the seed is the counter (all 64 bits of an unsigned long on LP64 systems).
static void queuesim_splitmix64_set(void *vstate, unsigned long int seed) {
    ((queuesim_splitmix64_state *)vstate)->counter = (uint64_t)seed;
}

/// The GSL generator type of SplitMix64.
static const gsl_rng_type queuesim_splitmix64_type = {
    "splitmix64",                      /* name */
    0xFFFFFFFFUL,                      /* RAND_MAX */
    0,                                 /* RAND_MIN */
    sizeof(queuesim_splitmix64_state), /* size of the state */
    &queuesim_splitmix64_set,
    &queuesim_splitmix64_get,
    &queuesim_splitmix64_get_double,
};

/// Allocates a SplitMix64 generator (see above).
static inline gsl_rng *queuesim_rng_alloc_splitmix64(void) {
    return gsl_rng_alloc(&queuesim_splitmix64_type);
}

/// Re-seeds a SplitMix64 generator with a 64-bit seed: one store, no call through GSL.
static inline void queuesim_splitmix64_reseed(gsl_rng *generator, uint64_t seed) {
    ((queuesim_splitmix64_state *)generator->state)->counter = seed;
}

/// Turns GSL's abort-on-error handler off: errors come back as status codes.
static inline void queuesim_gsl_errors_off(void) {
    gsl_set_error_handler_off();
}

/// Allocates GSL's Nelder-Mead simplex minimiser (nmsimplex2) in `n` dimensions, for the
/// maximum-likelihood fits of `queuesim import` (the type is a global variable, which Swift 6
/// cannot read).
static inline gsl_multimin_fminimizer *queuesim_multimin_nmsimplex2_alloc(size_t n) {
    return gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
}

#endif
