int cnum(void);
