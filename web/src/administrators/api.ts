import type { components } from '../api/schema';
export type Admin = components['schemas']['Administrator'];
export type Grant = components['schemas']['GrantInput'];
