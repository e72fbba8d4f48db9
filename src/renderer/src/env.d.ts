/** Side-effect imports the bundler (Vite) handles: stylesheets. */
declare module '*.css';
