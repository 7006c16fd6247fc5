#!/usr/bin/env node
// Entry point of the `hookd` command; the code lives in dist/ (built by `npm ci` through the prepare script).
import process from 'node:process';
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2));
