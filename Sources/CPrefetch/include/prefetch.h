#ifndef QUEUESIM_PREFETCH_H
#define QUEUESIM_PREFETCH_H

/// Asks the processor to start loading the cache line holding `address`, without waiting
/// for it: a hint (never a fault, even for an address that is not mapped), which Swift has
/// no way to express. See `EntityStore.prefetch(_:)` for why the model uses it.
static inline void queuesim_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
