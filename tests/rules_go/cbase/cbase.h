int c_part(void);
#ifdef __cplusplus
extern "C"
#endif
int cxx_part(void);
