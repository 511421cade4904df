// CPC-style exams: questions, question keys, exams, the learner's attempts, scoring and the score report.
export * from './model';
export { choiceCodeText, choiceItems, looksLikeCode, parseChoice, parseChoiceCode } from './choices';
export { parseQuestion, parseQuestionKey, isQuestionKeyText } from './question';
export { DEFAULT_MINUTES, DEFAULT_PASS_MARK, examItems, parseExam } from './exam';
export { EXAMS_DIR, QUESTIONS_DIR, itemArea, loadExamContent } from './content';
export * from './attempt';
export { scoreAttempt, totalSeconds } from './score';
