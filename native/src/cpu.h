/* Run-time choice of the field-multiplication kernels (the one place it is decided).
 * On x86-64 with BMI2+ADX the MULX/ADCX/ADOX assembly kernel is used, otherwise the
 * portable __int128 C kernel; ZKMARGIN_NATIVE_ASM=0 in the environment forces the
 * portable path.  Where the CPU has AVX-512 IFMA, the batched kernels built on the
 * eight-lane arithmetic of ifma.h use it; ZKMARGIN_NATIVE_IFMA=0 turns that off.
 * zkm_set_asm and zkm_set_ifma let tests compare the paths in one process. */
#ifndef ZKM_CPU_H
#define ZKM_CPU_H

extern int zkm_use_adx;
extern int zkm_use_ifma;

/* CDEF BEGIN */
int zkm_cpu_has_adx(void);
int zkm_asm_enabled(void);
int zkm_set_asm(int on);
int zkm_cpu_has_ifma(void);
int zkm_ifma_enabled(void);
int zkm_set_ifma(int on);
/* CDEF END */

#endif
