/**
 * `@fovea/optim`: Optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW), learning-rate schedules, gradient clipping, a Trainer, hyperparameter search and ensembles.
 *
 * @packageDocumentation
 */
export {};
