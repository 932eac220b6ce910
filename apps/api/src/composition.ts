import { AnyProjection } from '@salesline/core';
import { CustomersModule, customersProjection } from '@salesline/customers';

/** The bounded contexts this deployment serves, and the read models they project. */
export const contextModules = [CustomersModule];

export const allProjections: AnyProjection[] = [customersProjection];
