// newsclean demo site: hides the cookie banner once accepted. Nothing else.
document.addEventListener('click', (e) => {
  if (e.target.closest('.cookie-accept, .cookie-reject')) document.getElementById('cookie-notice')?.remove();
});
