/**
 * A setup file of the Vitest configs that start PostgreSQL: after each test file, the databases
 * its tests were given are emptied and handed to the next ones (pg-cluster.ts, recycleDatabase).
 * A mutation run makes thousands on one long-lived server, which would otherwise fill the disk
 * at about 7.5 MB each.
 */
import { afterAll } from 'vitest';
import { recycleDatabases } from './test-databases.ts';

afterAll(recycleDatabases);
