// CPrefetch is a header-only module (include/prefetch.h); SwiftPM needs one source file.
#include "prefetch.h"
