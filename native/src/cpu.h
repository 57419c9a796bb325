/* Run-time choice of the field-multiplication kernel (the one place it is decided).
 * On x86-64 with BMI2+ADX the MULX/ADCX/ADOX assembly kernel is used, otherwise the
 * portable __int128 C kernel; ZKMARGIN_NATIVE_ASM=0 in the environment forces the
 * portable path.  zkm_set_asm lets tests compare both paths in one process. */
#ifndef ZKM_CPU_H
#define ZKM_CPU_H

extern int zkm_use_adx;

/* CDEF BEGIN */
int zkm_cpu_has_adx(void);
int zkm_asm_enabled(void);
int zkm_set_asm(int on);
/* CDEF END */

#endif
