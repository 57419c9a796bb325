/* Internal: the generic group law instantiated for G1 and G2 (static inline in every
 * translation unit that includes this; used by curve.c, msm.c, fixed_base.c). */
#ifndef ZKM_CURVE_INST_H
#define ZKM_CURVE_INST_H
#include "field.h"

#define EC_PREFIX g1
#define FE_PREFIX fq
#define NL 4
#define EC_B BN254_B_MONT
#include "ec_impl.h"
#undef EC_PREFIX
#undef FE_PREFIX
#undef NL
#undef EC_B

#define EC_PREFIX g2
#define FE_PREFIX fq2
#define NL 8
#define EC_B BN254_TWIST_B_MONT
#include "ec_impl.h"
#undef EC_PREFIX
#undef FE_PREFIX
#undef NL
#undef EC_B

#endif
