#ifndef QUEUESIM_CGSL_SHIM_H
#define QUEUESIM_CGSL_SHIM_H

// The part of GSL queuesim uses. GSL exposes generator types as global mutable
// variables (`gsl_rng_mt19937` ...), which Swift 6 strict concurrency refuses to
// touch; these small inline functions read them on the C side instead.

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

/// Allocates a Mersenne Twister (MT19937) generator: fast, long period, 32-bit seed.
static inline gsl_rng *queuesim_rng_alloc_mt19937(void) {
    return gsl_rng_alloc(gsl_rng_mt19937);
}

/// Allocates a Tausworthe (taus2) generator: tiny state, so re-seeding it is cheap.
static inline gsl_rng *queuesim_rng_alloc_taus2(void) {
    return gsl_rng_alloc(gsl_rng_taus2);
}

/// Turns GSL's abort-on-error handler off: errors come back as status codes.
static inline void queuesim_gsl_errors_off(void) {
    gsl_set_error_handler_off();
}

#endif
