#include "cpu.h"

#include <stdlib.h>
#include <string.h>

int zkm_use_adx = 0;
int zkm_use_ifma = 0;

int zkm_cpu_has_adx(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
#else
    return 0;
#endif
}

int zkm_cpu_has_ifma(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
#else
    return 0;
#endif
}

int zkm_asm_enabled(void) { return zkm_use_adx; }

int zkm_ifma_enabled(void) { return zkm_use_ifma; }

int zkm_set_ifma(int on) {
    zkm_use_ifma = on && zkm_cpu_has_ifma();
    return zkm_use_ifma;
}

/* returns the new state (asm is only enabled where the CPU supports it) */
int zkm_set_asm(int on) {
    zkm_use_adx = on && zkm_cpu_has_adx();
    return zkm_use_adx;
}

__attribute__((constructor)) static void zkm_cpu_select(void) {
    const char *env = getenv("ZKMARGIN_NATIVE_ASM");
    zkm_set_asm(!(env && strcmp(env, "0") == 0));
    env = getenv("ZKMARGIN_NATIVE_IFMA");
    zkm_set_ifma(!(env && strcmp(env, "0") == 0));
}
