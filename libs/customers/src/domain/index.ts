/** The customers domain: pure deciders and rules, no framework, no I/O. Other contexts import this entry. */
export * from './customer';
